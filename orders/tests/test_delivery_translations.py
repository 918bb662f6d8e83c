"""Delivery methods read in the customer's language; an order keeps what it was sold as."""

from decimal import Decimal

import pytest
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from orders.tests.factories import DeliveryMethodFactory, place_order
from products.models import Product
from products.services import product_update
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
OPTIONS = reverse("delivery:options")


def test_delivery_options_are_named_in_the_reader_language(auth_client, user):
    DeliveryMethodFactory(code="addis", name="Addis Ababa courier", translations={"am": {"name": "የአዲስ አበባ መልእክተኛ"}})
    DeliveryMethodFactory(code="pickup", name="Pickup at the shop", fee=Decimal("150.00"))
    address = AddressFactory(user=user, region="Addis Ababa")

    amharic = auth_client.get(OPTIONS, {"address_id": address.pk}, HTTP_ACCEPT_LANGUAGE="am").json()
    english = auth_client.get(OPTIONS, {"address_id": address.pk}, HTTP_ACCEPT_LANGUAGE="en").json()

    # the same fee: ordered by the name the reader reads
    assert [o["name"] for o in amharic] == ["Pickup at the shop", "የአዲስ አበባ መልእክተኛ"]
    assert [o["name"] for o in english] == ["Addis Ababa courier", "Pickup at the shop"]


def test_an_order_keeps_the_title_it_was_sold_under(auth_client, user):
    # given a product with an Amharic title, bought by a customer who reads Amharic
    user.language = "am"
    user.save(update_fields=["language"])
    product = ProductFactory(title="Jebena", translations={"am": {"title": "ጀበና"}})
    order = place_order(user=user, lines=[(product, 1)])

    # when the product's titles change later
    product_update(
        product=Product.objects.get(pk=product.pk), data={"title": "Clay pot", "translations": {"am": {"title": "ሸክላ"}}}
    )

    # then the order still shows what was sold, as written at checkout
    body = auth_client.get(reverse("orders:detail", args=[order.pk])).json()
    assert [item["product_title"] for item in body["items"]] == ["Jebena"]
