"""The admin's list of carts tells guests' carts from customers' and filters by either."""

import re

import pytest
from django.urls import reverse

from cart.tests.factories import CartFactory, guest_cart
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cart_cart_changelist")


def listed(response) -> list[int]:
    assert response.status_code == 200
    return sorted(cart.pk for cart in response.context["cl"].result_list)


def owners(response) -> list[str]:
    """The user column of the list, as staff read it."""
    return re.findall(r'class="field-owner"><a [^>]*>([^<]*)</a>', response.content.decode())


def test_the_filter_shows_guests_carts_or_customers_carts(owner_client):
    customers = CartFactory(user=UserFactory(username="almaz")), CartFactory()
    guests = guest_cart()[0], guest_cart()[0]

    assert listed(owner_client.get(CHANGELIST, {"owner": "guest"})) == sorted(cart.pk for cart in guests)
    assert listed(owner_client.get(CHANGELIST, {"owner": "customer"})) == sorted(cart.pk for cart in customers)
    assert listed(owner_client.get(CHANGELIST)) == sorted(cart.pk for cart in customers + guests)


def test_a_guests_cart_says_guest_in_the_user_column_in_the_staff_members_language(owner_client):
    guest_cart()
    CartFactory(user=UserFactory(username="almaz"))

    english = owner_client.get(CHANGELIST, {"owner": "guest"})
    amharic = owner_client.get(CHANGELIST, {"owner": "guest"}, HTTP_ACCEPT_LANGUAGE="am")
    customers = owner_client.get(CHANGELIST, {"owner": "customer"})

    assert owners(english) == ["guest"]
    assert owners(amharic) == ["እንግዳ"] and "የእንግዶች የግዢ ጋሪዎች" in amharic.content.decode()
    assert owners(customers) == ["almaz"]
