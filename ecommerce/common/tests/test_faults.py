"""Faults with real processes and real connections: the database connection dropped in the
middle of a checkout. (Redis, RabbitMQ, SMTP and the payment gateway failing are tested beside
the features they break: test_catalog_cache, users/tests/test_email_worker,
ecommerce/outbox/tests/services/test_outbox, payments/tests.)"""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.models import CartItem
from cart.services import cart_item_add
from conftest import client_for
from orders.models import Order
from products.models import Product
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def kill_own_backend_when(fragment: str):
    """A Django execute wrapper: when a query containing `fragment` is about to run, terminate
    this connection's PostgreSQL backend from a second, separate connection, then let the
    query go ahead (and fail, as it would in production)."""
    pid = connection.connection.info.backend_pid
    db = connection.settings_dict

    def wrapper(execute, sql, params, many, context):
        if fragment in sql:
            with psycopg.connect(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                user=db["USER"],
                dbname=db["NAME"],
                autocommit=True,
            ) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    return wrapper


def test_connection_dropped_mid_checkout_is_a_clean_503_and_writes_nothing(postgres):
    # given a customer with a cart, and the stock as it stands
    user = UserFactory()
    product = ProductFactory(stock=5)
    cart_item_add(user=user, product_id=product.pk, quantity=2)
    address = AddressFactory(user=user)
    client = client_for(user)
    connection.ensure_connection()

    # when the database connection dies just as checkout locks the variants
    with connection.execute_wrapper(kill_own_backend_when('FROM "products_variant"')):
        response = client.post(reverse("orders:create"), {"shipping_address_id": address.pk})
    connection.close()

    # then the customer gets a clear 503, and nothing was half-written
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"
    assert not Order.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 5
    assert CartItem.objects.filter(cart__user=user).count() == 1
    # and the next request is served on a fresh connection
    assert client.get(reverse("cart:detail")).status_code == 200
