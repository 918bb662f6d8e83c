"""The migration to variants, run forwards on a database that already has products, carts and
orders: every product becomes one default variant holding exactly its stock, with the ledger's
first row, and every cart line and order line names that variant."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

BEFORE = [
    ("products", "0003_category_index_with_created_at"),
    ("cart", "0001_initial"),
    ("orders", "0002_typed_events_paid_at"),
]
AFTER = [
    ("products", "0004_variants_and_stock_ledger"),
    ("cart", "0002_lines_by_variant"),
    ("orders", "0003_order_item_variant"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_products_become_default_variants_keeping_their_stock():
    old = migrate(BEFORE)
    try:
        # given the shop as it was: two products, a cart line and an order line
        user = UserFactory()  # the users app is not migrated back: today's model fits its table
        category = old.get_model("categories", "Category").objects.create(name="Coffee", slug="coffee")
        product_model = old.get_model("products", "Product")
        beans = product_model.objects.create(
            title="Sidamo", slug="sidamo", price=Decimal("780.00"), stock=17, category=category
        )
        pot = product_model.objects.create(
            title="Jebena", slug="jebena", price=Decimal("650.00"), stock=0, category=category
        )
        cart = old.get_model("cart", "Cart").objects.create(user_id=user.pk)
        old.get_model("cart", "CartItem").objects.create(cart=cart, product=pot, quantity=2)
        order = old.get_model("orders", "Order").objects.create(
            number="MIGRATE1",
            user_id=user.pk,
            subtotal=Decimal("1560.00"),
            total=Decimal("1560.00"),
            shipping_address={},
            billing_address={},
        )
        old.get_model("orders", "OrderItem").objects.create(
            order=order,
            product=beans,
            product_title="Sidamo",
            unit_price=Decimal("780.00"),
            quantity=2,
            line_total=Decimal("1560.00"),
        )

        # when the migrations run forwards
        new = migrate(AFTER)

        # then each product is one default variant with its stock, and the books say so
        variant_model = new.get_model("products", "Variant")
        for product, stock, price in ((beans, 17, Decimal("780.00")), (pot, 0, Decimal("650.00"))):
            variant = variant_model.objects.get(product_id=product.pk)
            assert (variant.sku, variant.stock, variant.options_key, variant.price) == (
                f"SKU-{product.pk}",
                stock,
                "",
                None,
            )
            movement = new.get_model("products", "StockMovement").objects.get(variant=variant)
            assert (movement.reason, movement.delta, movement.stock_after) == ("initial", stock, stock)
            migrated = new.get_model("products", "Product").objects.get(pk=product.pk)
            assert (migrated.base_price, migrated.price, migrated.price_max, migrated.stock) == (
                price,
                price,
                price,
                stock,
            )
        line = new.get_model("cart", "CartItem").objects.get()
        assert (line.variant.product_id, line.quantity) == (pot.pk, 2)
        item = new.get_model("orders", "OrderItem").objects.get()
        assert (item.variant.product_id, item.sku, item.quantity) == (beans.pk, f"SKU-{beans.pk}", 2)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
