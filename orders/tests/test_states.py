"""The (status, payment_status) pairs an order may be in: one table in the code, enforced by the
database and shown in docs/architecture.md."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from orders.models import LEGAL_STATES, Order, OrderStatus, PaymentStatus
from orders.tests.factories import place_order

pytestmark = pytest.mark.django_db


def state_table() -> str:
    """LEGAL_STATES as the Markdown table docs/architecture.md shows."""
    payments = list(PaymentStatus.values)
    lines = ["| status | " + " | ".join(f"`{p}`" for p in payments) + " |", "|---" * (len(payments) + 1) + "|"]
    for status in OrderStatus.values:
        marks = ["✓" if payment in LEGAL_STATES[status] else "" for payment in payments]
        lines.append(f"| `{status}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def test_the_architecture_document_shows_the_table_of_the_code():
    document = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text()
    assert state_table() in document, "docs/architecture.md should carry:\n" + state_table()


def test_every_status_has_its_row():
    assert set(LEGAL_STATES) == set(OrderStatus.values)


@pytest.mark.parametrize(
    ("status", "payment_status"),
    [(s, p) for s in OrderStatus.values for p in PaymentStatus.values if p not in LEGAL_STATES[s]],
)
def test_the_database_refuses_every_other_pair(user, status, payment_status):
    order = place_order(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(status=status, payment_status=payment_status)
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.PENDING, PaymentStatus.UNPAID)


def test_the_database_refuses_refunds_past_what_was_paid(user):
    # The order's lock keeps refunds within the total; this CHECK is its backstop.
    order = place_order(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(refunded_amount=order.total + Decimal("0.01"))
    order.refresh_from_db()
    assert order.refunded_amount == Decimal("0.00")
