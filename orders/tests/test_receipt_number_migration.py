"""The migration that numbers receipts, run on a shop that already has paid orders: they get
their numbers in the order they were paid, and the sequence goes on after the last of them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from orders.services.documents import RECEIPT_PREFIX, RECEIPT_SEQUENCE, document_number_next
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_orders_paid_before_receipts_were_numbered_are_numbered_in_the_order_they_were_paid():
    old = migrate([("orders", "0009_order_receipt_number_buyer_tin")])
    try:
        # given two orders paid, the later one placed first, and one never paid
        user, now = UserFactory(), timezone.now()
        order_model = old.get_model("orders", "Order")

        def order(number, paid_at, payment_status):
            return order_model.objects.create(
                number=number,
                user_id=user.pk,
                status="confirmed" if paid_at else "pending",
                payment_status=payment_status,
                paid_at=paid_at,
                subtotal=Decimal("100.00"),
                total=Decimal("100.00"),
                shipping_address={},
                billing_address={},
            )

        paid_later = order("PAIDLATE", now - timedelta(days=1), "paid")
        paid_first = order("PAIDFRST", now - timedelta(days=3), "refund_pending")
        unpaid = order("NOTPAID1", None, "unpaid")

        # when the migration runs
        new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        # then the paid ones hold R-000001 and R-000002 in the order they were paid
        numbers = dict(new.get_model("orders", "Order").objects.values_list("number", "receipt_number"))
        assert numbers == {paid_first.number: "R-000001", paid_later.number: "R-000002", unpaid.number: None}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    # and the next receipt follows them
    with transaction.atomic():
        assert document_number_next(name=RECEIPT_SEQUENCE, prefix=RECEIPT_PREFIX) == "R-000003"
