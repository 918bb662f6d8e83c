"""Returns: a customer asks to give units back, staff approve or reject, receive the goods and
refund them. A return moves only through `_move`, along RETURN_MOVES, each move an event.

The money side of a refund (the refund row, Chapa) belongs to the payments app, which calls
`return_refund_claim` and then `return_refunded` or `order_refund_release` here. Every service
holds the order's row lock (orders.lock_objects.return_lock), so the checks across an order's
returns (units left to return, money left to refund) see each other's work.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from ecommerce.common.money import money_display
from orders.emails import return_status_notify
from orders.events import refunded_event
from orders.exceptions import (
    DeliveryAlreadyRefunded,
    InvalidTransition,
    OrderNotDelivered,
    RefundExceedsPaid,
    RefundExceedsValue,
    ReturnAlreadyRefunded,
    ReturnQuantityExceeded,
    ReturnWindowClosed,
)
from orders.lock_objects import order_lock, return_lock
from orders.models import (
    Order,
    OrderStatus,
    Return,
    ReturnCondition,
    ReturnEvent,
    ReturnEventType,
    ReturnLine,
    ReturnStatus,
    state_text,
)
from orders.pricing import discount_shares, units_refund_value
from orders.services.transitions import order_settle_refund
from products.models import StockReason
from products.services import stock_release

RETURN_MOVES: dict[str, set[str]] = {
    ReturnStatus.REQUESTED: {ReturnStatus.APPROVED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED},
    # Refunded straight from approved: a claim, the goods stay with the customer.
    ReturnStatus.APPROVED: {ReturnStatus.RECEIVED, ReturnStatus.REFUNDED},
    ReturnStatus.RECEIVED: {ReturnStatus.REFUNDED},
    ReturnStatus.REJECTED: set(),
    ReturnStatus.CANCELLED: set(),
    ReturnStatus.REFUNDED: set(),
}
# Returns whose units count against what is left to return.
HOLDS_UNITS = [ReturnStatus.REQUESTED, ReturnStatus.APPROVED, ReturnStatus.RECEIVED, ReturnStatus.REFUNDED]
REFUNDABLE = (ReturnStatus.APPROVED, ReturnStatus.RECEIVED)


def _move(*, ret: Return, status: str, type: str, actor, note: str = "", **parameters) -> ReturnEvent:
    """Move a locked return along RETURN_MOVES and record the event."""
    if status not in RETURN_MOVES[ret.status]:
        raise InvalidTransition(
            gettext("A return cannot go from {from_status} to {to_status}.").format(
                from_status=state_text(ReturnStatus, ret.status), to_status=state_text(ReturnStatus, status)
            ),
            extra={"from_status": ret.status, "to_status": status},
        )
    ret.status = status
    ret.save(update_fields=["status", "updated_at"])
    return ReturnEvent.objects.create(
        return_request=ret, type=type, status=status, actor=actor, note=note[:1000], parameters=parameters
    )


def order_delivered_at(order: Order):
    """When the order was delivered: the event that moved it there."""
    return (
        order.events.filter(status=OrderStatus.DELIVERED)
        .exclude(from_status=OrderStatus.DELIVERED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _units_held(order: Order) -> dict[int, int]:
    """Units of each order line in the order's open or completed returns."""
    rows = (
        ReturnLine.objects.filter(return_request__order=order, return_request__status__in=HOLDS_UNITS)
        .values("order_item_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["order_item_id"]: row["units"] for row in rows}


@transaction.atomic
def return_request(*, order_id, actor, lines: list[dict], note: str = "") -> Return:
    """A customer asks to return `lines` ([{order_item_id, quantity, reason}]) of their delivered
    order, within RETURN_WINDOW_DAYS of its delivery. Checked under the order's lock, so two
    requests at once never return more units than were bought."""
    order = order_lock(pk=order_id)
    if order.status != OrderStatus.DELIVERED:
        raise OrderNotDelivered(
            gettext("Order {number} is {status}: only a delivered order's items can be returned.").format(
                number=order.number, status=state_text(OrderStatus, order.status)
            )
        )
    delivered_at = order_delivered_at(order)
    closes = delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS) if delivered_at else None
    if closes is None or timezone.now() > closes:
        raise ReturnWindowClosed(
            gettext("Items can be returned within {days} days of delivery; that time has passed.").format(
                days=settings.RETURN_WINDOW_DAYS
            )
        )
    items = {item.pk: item for item in order.items.all()}
    asked = [line["order_item_id"] for line in lines]
    if unknown := sorted(set(asked) - set(items)):
        raise ValidationError(
            {"lines": [gettext("These lines are not in the order: {ids}.").format(ids=", ".join(map(str, unknown)))]}
        )
    if len(set(asked)) != len(asked):
        raise ValidationError({"lines": [gettext("Name each order line once.")]})
    held = _units_held(order)
    over = [
        {"order_item_id": line["order_item_id"], "requested": line["quantity"], "available": available}
        for line in lines
        if line["quantity"] > (available := items[line["order_item_id"]].quantity - held.get(line["order_item_id"], 0))
    ]
    if over:
        raise ReturnQuantityExceeded(
            gettext("More units asked back than were bought and are not already being returned."),
            extra={"lines": over},
        )
    ret = Return.objects.create(order=order, number=f"{order.number}-R{order.returns.count() + 1}", note=note)
    ReturnLine.objects.bulk_create(
        ReturnLine(
            return_request=ret,
            order_item=items[line["order_item_id"]],
            quantity=line["quantity"],
            reason=line["reason"],
        )
        for line in lines
    )
    ReturnEvent.objects.create(
        return_request=ret, type=ReturnEventType.REQUESTED, status=ret.status, actor=actor, note=note[:1000]
    )
    return ret


@transaction.atomic
def return_cancel(*, return_id, actor) -> Return:
    """The customer withdraws a return staff have not yet answered."""
    ret = return_lock(pk=return_id)
    _move(ret=ret, status=ReturnStatus.CANCELLED, type=ReturnEventType.CANCELLED, actor=actor)
    return ret


@transaction.atomic
def return_approve(*, return_id, actor, note: str = "") -> Return:
    ret = return_lock(pk=return_id)
    event = _move(ret=ret, status=ReturnStatus.APPROVED, type=ReturnEventType.APPROVED, actor=actor, note=note)
    return_status_notify(ret=ret, event=event)
    return ret


@transaction.atomic
def return_reject(*, return_id, actor, note: str) -> Return:
    ret = return_lock(pk=return_id)
    event = _move(ret=ret, status=ReturnStatus.REJECTED, type=ReturnEventType.REJECTED, actor=actor, note=note)
    return_status_notify(ret=ret, event=event)
    return ret


@transaction.atomic
def return_receive(*, return_id, actor, conditions: dict[int, str], note: str = "") -> Return:
    """Staff have the goods back: each line's condition (`conditions`, {order_item_id:
    resellable | damaged}, one for every line). Resellable units go back into stock through the
    ledger (reason `returned`), once per line: a line already restocked never is again."""
    ret = return_lock(pk=return_id)
    lines = list(ret.lines.select_related("order_item"))
    named = {line.order_item_id for line in lines}
    if set(conditions) != named:
        raise ValidationError(
            {"lines": [gettext("Give the condition of every line of the return, and of those only.")]}
        )
    _move(ret=ret, status=ReturnStatus.RECEIVED, type=ReturnEventType.RECEIVED, actor=actor, note=note)
    back: dict[int, int] = {}
    for line in lines:
        line.condition = conditions[line.order_item_id]
        if line.condition == ReturnCondition.RESELLABLE and not line.restocked:
            line.restocked = True
            if line.order_item.variant_id is not None:  # a variant deleted since takes nothing back
                back[line.order_item.variant_id] = back.get(line.order_item.variant_id, 0) + line.quantity
        line.save(update_fields=["condition", "restocked"])
    if back:
        stock_release(quantities=back, order_id=ret.order_id, reason=StockReason.RETURNED)
    return ret


def return_lines_value(ret: Return) -> dict[int, Decimal]:
    """What each line of the return was paid ({return line pk: amount}): its units at the price
    paid, less their share of the order's coupon discount (orders.pricing)."""
    items = list(ret.order.items.all())
    shares = dict(
        zip(
            (item.pk for item in items),
            discount_shares(line_totals=[item.line_total for item in items], discount=ret.order.discount_amount),
            strict=True,
        )
    )
    return {
        line.pk: units_refund_value(
            line_total=line.order_item.line_total,
            share=shares[line.order_item_id],
            quantity=line.order_item.quantity,
            units=line.quantity,
        )
        for line in ret.lines.select_related("order_item")
    }


@dataclass(frozen=True)
class RefundClaim:
    """A return's refund as checked and booked on the order, before any money moves."""

    ret: Return
    amount: Decimal
    delivery_amount: Decimal


def return_refund_claim(*, return_id, amount: Decimal | None, include_delivery: bool) -> RefundClaim:
    """Check a return's refund under the order's lock and book it on the order's
    `refunded_amount` (the database CHECK keeps that within the total), in the caller's
    transaction. The amount defaults to the lines' value, plus the delivery fee when
    `include_delivery` (once per order); staff may refund less, never more."""
    ret = return_lock(pk=return_id)
    order = ret.order
    if ret.status == ReturnStatus.REFUNDED:
        raise ReturnAlreadyRefunded(gettext("Return {number} is already refunded.").format(number=ret.number))
    if ret.status not in REFUNDABLE:
        raise InvalidTransition(
            gettext("A return that is {status} cannot be refunded.").format(
                status=state_text(ReturnStatus, ret.status)
            ),
            extra={"from_status": ret.status, "to_status": ReturnStatus.REFUNDED},
        )
    goods = sum(return_lines_value(ret).values(), Decimal("0.00"))
    fee = Decimal("0.00")
    if include_delivery:
        if order.delivery_refunded:
            raise DeliveryAlreadyRefunded(
                gettext("Order {number}'s delivery fee was already refunded.").format(number=order.number)
            )
        fee = order.delivery_fee
    most = goods + fee
    amount = most if amount is None else amount
    if amount > most:
        raise RefundExceedsValue(
            gettext("This return is worth at most {amount}.").format(amount=money_display(most, order.currency)),
            extra={"value": str(most)},
        )
    # Staff refunding less than the value give back less of the delivery fee first.
    delivery_amount = max(amount - goods, Decimal("0.00"))
    order_refund_book(order_id=order.pk, amount=amount, delivery=delivery_amount > 0)
    return RefundClaim(ret=ret, amount=amount, delivery_amount=delivery_amount)


def order_refund_book(*, order_id, amount: Decimal, delivery: bool = False) -> Order:
    """Count `amount` as given back of the money the order kept, under its lock, in the caller's
    transaction; refused (409) past what was paid."""
    order = order_lock(pk=order_id)
    if amount <= 0 or order.refunded_amount + amount > order.total:
        left = order.total - order.refunded_amount
        raise RefundExceedsPaid(
            gettext("Order {number} has {amount} left to refund.").format(
                number=order.number, amount=money_display(left, order.currency)
            ),
            extra={"refundable": str(left)},
        )
    order.refunded_amount += amount
    fields = ["refunded_amount", "updated_at"]
    if delivery:
        order.delivery_refunded = True
        fields.append("delivery_refunded")
    order.save(update_fields=fields)
    return order


@transaction.atomic
def order_refund_release(*, order_id, amount: Decimal, delivery: bool = False) -> Order:
    """A booked refund was not made (the gateway refused it): its money is refundable again."""
    order = order_lock(pk=order_id)
    order.refunded_amount -= amount
    fields = ["refunded_amount", "updated_at"]
    if delivery:
        order.delivery_refunded = False
        fields.append("delivery_refunded")
    order.save(update_fields=fields)
    return order


@transaction.atomic
def return_refunded(
    *, return_id, amount: Decimal, delivery_amount: Decimal, actor, note: str, payment_ref: str, settled: bool
) -> Return:
    """The money of a claimed refund (`amount`, `delivery_amount` of it the delivery fee) went
    back: the return is refunded, its lines say how much each got (less than their value is
    spread in proportion to it), and the order records it (partly or fully refunded; `settled`
    as in order_settle_refund)."""
    ret = return_lock(pk=return_id)
    values = return_lines_value(ret)
    split = discount_shares(line_totals=list(values.values()), discount=amount - delivery_amount)
    ret.refund_amount, ret.delivery_refund = amount, delivery_amount
    ret.save(update_fields=["refund_amount", "delivery_refund", "updated_at"])
    for line_id, line_amount in zip(values, split, strict=True):
        ReturnLine.objects.filter(pk=line_id).update(refund_amount=line_amount)
    event = _move(
        ret=ret,
        status=ReturnStatus.REFUNDED,
        type=ReturnEventType.REFUNDED,
        actor=actor,
        note=note,
        amount=str(amount),
        delivery=str(delivery_amount),
    )
    order_note = f"Return {ret.number} refunded: {amount} {ret.order.currency} ({payment_ref})."
    order_settle_refund(
        order=ret.order,
        event=refunded_event(
            actor=actor, note=order_note, payment_ref=payment_ref, amount=amount, return_number=ret.number
        ),
        settled=settled,
    )
    return_status_notify(ret=ret, event=event)
    return ret
