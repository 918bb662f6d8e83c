"""Refunds under concurrency, on PostgreSQL with real parallel connections: whatever runs at
once, an order never gives back more than it was paid, the loser gets a 409, and Chapa is asked
once per refund that was made."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from ecommerce.common.exceptions import ConflictError
from ecommerce.common.tests.concurrency import run_concurrently
from orders.exceptions import InvalidTransition, RefundExceedsPaid
from orders.models import Order, Return, ReturnLine, ReturnStatus
from orders.services import order_status_change
from orders.services.returns import return_approve, return_receive, return_request
from payments.models import Refund
from payments.services import payment_refund, return_refund
from payments.tests.factories import delivered_order
from products.models import StockMovement
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

D = Decimal


@pytest.fixture
def staff():
    return StaffFactory()


def lines():
    """2 × 100.00 and 1 × 300.00: a 500.00 order (no delivery method, so free delivery)."""
    return [(ProductFactory(price=D("100.00"), stock=10), 2), (ProductFactory(price=D("300.00"), stock=10), 1)]


def whole_return(order) -> Return:
    """A return of every unit of the order, approved, written as if the units check had let a
    second one through: the money check must hold on its own."""
    ret = Return.objects.create(order=order, number=f"{order.number}-R{order.returns.count() + 1}")
    for item in order.items.all():
        ReturnLine.objects.create(return_request=ret, order_item=item, quantity=item.quantity, reason="other")
    return_approve(return_id=ret.pk, actor=None)
    return ret


def refunded_total(order) -> Decimal:
    return sum(Refund.objects.filter(order=order, status="succeeded").values_list("amount", flat=True), D("0.00"))


def test_two_staff_refunding_one_return_refund_it_once(chapa, staff):
    # given an approved return of one kemis of a Chapa-paid order
    user = UserFactory()
    order = delivered_order(user=user, staff=staff, chapa=chapa, lines=lines())
    kemis = order.items.order_by("pk").first()
    ret = return_request(
        order_id=order.pk, actor=user, lines=[{"order_item_id": kemis.pk, "quantity": 1, "reason": "damaged"}]
    )
    return_approve(return_id=ret.pk, actor=staff)
    url = reverse("return-payments:refund", args=[ret.pk])

    # when two staff members press refund at the same moment
    def refund(member):
        def press():
            response = client_for(member).post(url, {}, format="json")
            return response.status_code, response.json().get("code")

        return press

    results = run_concurrently([refund(staff), refund(StaffFactory())])

    # then one refund of 100.00 was made, once, and the other staff member got a 409
    assert sorted(status for status, _ in results) == [200, 409], results
    codes = {code for status, code in results if status == 409}
    assert codes <= {"refund_already_requested", "return_already_refunded"}
    order.refresh_from_db()
    assert (order.refunded_amount, refunded_total(order)) == (D("100.00"), D("100.00"))
    assert Refund.objects.count() == 1
    assert chapa.state()["refund_calls"] == 1


def test_two_returns_worth_more_than_the_payment_refund_at_most_the_payment(chapa, staff):
    # given two approved returns of the same 500.00 order, each worth all of it
    order = delivered_order(user=UserFactory(), staff=staff, chapa=chapa, lines=lines())
    first, second = whole_return(order), whole_return(order)

    # when both are refunded at once
    results = run_concurrently(
        [lambda ret=ret: return_refund(return_id=ret.pk, actor=staff) for ret in (first, second)]
    )

    # then one is refunded and the other refused: never more than was paid
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], RefundExceedsPaid), results
    assert isinstance(refused[0], ConflictError)  # a 409
    order.refresh_from_db()
    assert (order.refunded_amount, refunded_total(order), order.payment_status) == (
        D("500.00"),
        D("500.00"),
        "refunded",
    )
    statuses = sorted(Return.objects.filter(order=order).values_list("status", flat=True))
    assert statuses == [ReturnStatus.APPROVED, ReturnStatus.REFUNDED]
    assert Refund.objects.count() == 1  # the refused one wrote no row
    assert chapa.state()["refund_calls"] == 1


def test_a_partial_refund_racing_the_full_refund_of_a_refund_pending_order(chapa, staff):
    # given a paid order cancelled by staff (its 500.00 owed back) and, beside it, an approved
    # return of one kemis (100.00) of the same order
    order = delivered_order(user=UserFactory(), staff=staff, chapa=chapa, lines=lines())
    ret = whole_return(order)
    ReturnLine.objects.filter(return_request=ret).exclude(order_item=order.items.order_by("pk").first()).delete()
    ReturnLine.objects.filter(return_request=ret).update(quantity=1)
    Order.objects.filter(pk=order.pk).update(status="processing")  # as if it had never left the shop
    order_status_change(order_id=order.pk, new_status="cancelled", actor=staff)
    payment = order.payments.get()

    # when staff refund the whole payment and the return at the same moment
    results = run_concurrently(
        [
            lambda: payment_refund(payment_id=payment.pk, actor=staff, reason="Cancelled"),
            lambda: return_refund(return_id=ret.pk, actor=staff),
        ]
    )

    # then exactly one side was refused with a 409, and no more than 500.00 went back
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], RefundExceedsPaid), results
    order.refresh_from_db()
    assert order.refunded_amount == refunded_total(order) <= order.total
    assert order.refunded_amount in (D("500.00"), D("100.00"))
    assert Refund.objects.count() == 1  # the refused one wrote no row
    assert chapa.state()["refund_calls"] == 1


def test_two_staff_receiving_one_return_put_its_units_back_once(staff):
    # given an approved return of both kemis of a delivered order
    user = UserFactory()
    kemis = ProductFactory(price=D("100.00"), stock=5)
    order = delivered_order(user=user, staff=staff, lines=[(kemis, 2)])
    item = order.items.get()
    ret = return_request(
        order_id=order.pk, actor=user, lines=[{"order_item_id": item.pk, "quantity": 2, "reason": "other"}]
    )
    return_approve(return_id=ret.pk, actor=staff)
    variant = item.variant
    before = type(variant).objects.get(pk=variant.pk).stock

    # when two staff members receive it as resellable at the same moment
    results = run_concurrently(
        [lambda: return_receive(return_id=ret.pk, actor=staff, conditions={item.pk: "resellable"}) for _ in range(2)]
    )

    # then one receive went through, the other was refused, and the units came back once
    assert sum(isinstance(result, InvalidTransition) for result in results) == 1, results
    assert type(variant).objects.get(pk=variant.pk).stock == before + 2
    assert list(StockMovement.objects.filter(reason="returned").values_list("delta", flat=True)) == [2]
