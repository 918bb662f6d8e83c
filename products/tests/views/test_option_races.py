"""Two staff members saving a product's options at once, on real parallel connections to
PostgreSQL: the saves take their turns and both succeed, never a unique violation's 500."""

import pytest
from django.urls import reverse

from conftest import client_for
from ecommerce.common.tests.concurrency import race_under_lock, run_concurrently
from products.models import Product, ProductOption, ProductOptionValue
from products.services import product_options_set
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

SIZES = [{"name": "Size", "values": ["S", "M", "L"]}, {"name": "Colour", "values": ["Red", "Black"]}]


def patch_options(product: Product, options: list[dict]):
    client = client_for(StaffFactory())
    url = reverse("products:detail", args=[product.pk])
    return lambda: client.patch(url, {"options": options}, format="json")


def test_a_save_of_the_options_while_another_holds_them_uncommitted():
    # given a product without options, and one staff member's save of them not yet committed
    product = ProductFactory(stock=0)
    # when another staff member saves the same options meanwhile
    response = race_under_lock(
        lock=lambda: product_options_set(product=Product.objects.get(pk=product.pk), options=SIZES),
        other=patch_options(product, SIZES),
    )
    # then that save waits its turn and finds them there
    assert response.status_code == 200, response
    assert response.json()["options"] == [{**option, "translations": {}} for option in SIZES]
    assert ProductOption.objects.filter(product=product).count() == 2
    assert ProductOptionValue.objects.filter(option__product=product).count() == 5


def test_parallel_saves_of_the_same_options_all_succeed():
    product = ProductFactory(stock=0)
    results = run_concurrently([patch_options(product, SIZES) for _ in range(4)])
    assert [getattr(r, "status_code", r) for r in results] == [200] * 4
    assert ProductOption.objects.filter(product=product).count() == 2
    assert ProductOptionValue.objects.filter(option__product=product).count() == 5
