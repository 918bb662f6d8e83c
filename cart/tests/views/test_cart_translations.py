"""The cart reads its lines in the reader's language."""

import pytest
from django.urls import reverse

from cart.services import cart_item_add
from products.services import variant_create
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
CART = reverse("cart:detail")


def test_cart_lines_read_the_title_and_options_in_the_reader_language(auth_client, user):
    dress = ProductFactory(
        title="Habesha kemis",
        translations={"am": {"title": "ሀበሻ ቀሚስ"}},
        stock=0,
        options=[
            {"name": "Size", "values": ["S", "M"], "translations": {"am": {"name": "መጠን", "values": ["ትንሽ", "መካከለኛ"]}}}
        ],
    )
    medium = variant_create(product=dress, sku="KEMIS-M", options={"Size": "M"}, stock=2)
    cart_item_add(user=user, variant_id=medium.pk, quantity=1)

    amharic = auth_client.get(CART, HTTP_ACCEPT_LANGUAGE="am").json()["items"][0]
    english = auth_client.get(CART, HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]

    assert (amharic["product"]["title"], amharic["variant"]["options"]) == ("ሀበሻ ቀሚስ", {"መጠን": "መካከለኛ"})
    assert (english["product"]["title"], english["variant"]["options"]) == ("Habesha kemis", {"Size": "M"})
