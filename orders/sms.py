"""Order SMS: queued in the outbox inside the transaction that changes the order, sent to the
order's shipping phone and written when sent, in the customer's language (ecommerce.outbox.kinds).

Each is short enough for two SMS parts in both languages with the longest realistic values (a
long shop name, carrier and tracking number, a large total); a tracking link, then the
carrier's name, are left out where they do not fit (orders/tests/test_sms.py counts the
parts). No product titles: the order number says which order it is.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from ecommerce.common.money import money_display
from ecommerce.outbox.kinds import sms_kind_register
from ecommerce.outbox.services import sms_enqueue, sms_recipient
from ecommerce.outbox.sms_parts import sms_parts
from orders.models import (
    Order,
    OrderEvent,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    Return,
    ReturnEvent,
    ReturnStatus,
)

ORDER_PLACED = "orders/sms/placed"
ORDER_CONFIRMED = "orders/sms/confirmed"
ORDER_PAID = "orders/sms/paid"
ORDER_SHIPPED = "orders/sms/shipped"
ORDER_DELIVERED = "orders/sms/delivered"
ORDER_CANCELLED = "orders/sms/cancelled"
RETURN_STATUS = "orders/sms/return_status"

MAX_PARTS = 2

# What a status move tells the customer by SMS; other moves (processing) send none.
_STATUS_KINDS = {
    OrderStatus.SHIPPED: ORDER_SHIPPED,
    OrderStatus.DELIVERED: ORDER_DELIVERED,
    OrderStatus.CANCELLED: ORDER_CANCELLED,
}


def order_sms_enqueue(*, order: Order, kind: str, key: str, **values) -> None:
    """Queue an SMS of `kind` about `order` to its shipping phone, in its customer's language,
    unless they turned SMS off or the phone is abroad; `values` join the order's id in the
    kind's context. Other apps' order SMS (returns) go through here too."""
    user = order.user
    if not user.sms_notifications:
        return
    try:
        to = sms_recipient(order.ship_to.phone)
    except ValidationError:
        return  # a phone abroad: the gateway reaches Ethiopian mobile numbers only
    sms_enqueue(to=to, kind=kind, context={"order_id": str(order.pk), **values}, language=user.language, key=key)


def order_placed_sms(*, order: Order) -> None:
    """Placed and waiting for its payment, or already confirmed (cash on delivery, nothing to pay)."""
    if order.status == OrderStatus.CONFIRMED:
        cash_due = order.payment_method == PaymentMethod.CASH_ON_DELIVERY and order.total > 0
        order_sms_enqueue(order=order, kind=ORDER_CONFIRMED, key=f"order-sms-placed:{order.pk}", cash_due=cash_due)
    else:
        order_sms_enqueue(order=order, kind=ORDER_PLACED, key=f"order-sms-placed:{order.pk}")


def order_paid_sms(*, order: Order, event: OrderEvent) -> None:
    order_sms_enqueue(order=order, kind=ORDER_PAID, key=f"order-sms-paid:{event.pk}")


def order_status_sms(*, order: Order, event: OrderEvent) -> None:
    kind = _STATUS_KINDS.get(event.status)
    if kind is not None:
        order_sms_enqueue(order=order, kind=kind, key=f"order-sms-status:{event.pk}", event_id=event.pk)


def return_status_sms(*, ret: Return, event: ReturnEvent) -> None:
    order_sms_enqueue(
        order=ret.order, kind=RETURN_STATUS, key=f"return-sms:{event.pk}", return_id=ret.pk, event_id=event.pk
    )


def _said(text: str) -> str:
    # The shop's name first: a customer reads many SMS, and the sender name is not always shown.
    return f"{settings.SHOP_NAME}: {text}"


def _order(values: dict) -> Order:
    return Order.objects.get(pk=values["order_id"])


def _total(order: Order) -> str:
    return money_display(order.total, order.currency)


def _placed(values: dict) -> str:
    order = _order(values)
    return _said(
        gettext("We received order {number} ({total}). It is confirmed once it is paid.").format(
            number=order.number, total=_total(order)
        )
    )


def _confirmed(values: dict) -> str:
    order = _order(values)
    if values.get("cash_due"):
        text = gettext("Order {number} is confirmed. Please pay {total} in cash on delivery.")
    else:
        text = gettext("Order {number} is confirmed. Thank you!")
    return _said(text.format(number=order.number, total=_total(order)))


def _paid(values: dict) -> str:
    order = _order(values)
    return _said(
        gettext("We received your payment of {total} for order {number}. Thank you!").format(
            number=order.number, total=_total(order)
        )
    )


def _first_that_fits(*texts: str) -> str:
    """The first of `texts`, the fullest first, that fits in the parts an SMS may take."""
    return next((text for text in texts if sms_parts(text).parts <= MAX_PARTS), texts[-1])


def _shipped(values: dict) -> str:
    order = _order(values)
    tracking = OrderEvent.objects.get(pk=values["event_id"]).parameters.get("tracking")
    if not tracking:
        return _said(gettext("Order {number} is on its way.").format(number=order.number))
    with_carrier = _said(
        gettext("Order {number} is on its way. {carrier} tracking number: {tracking}").format(
            number=order.number, carrier=tracking["carrier"], tracking=tracking["number"]
        )
    )
    # The link, then the carrier's name, give way to the tracking number when room runs out.
    return _first_that_fits(
        *([f"{with_carrier} {tracking['url']}"] if tracking.get("url") else []),
        with_carrier,
        _said(
            gettext("Order {number} is on its way. Tracking number: {tracking}").format(
                number=order.number, tracking=tracking["number"]
            )
        ),
    )


def _delivered(values: dict) -> str:
    order = _order(values)
    return _said(
        gettext("Order {number} has been delivered. Thank you for shopping with us!").format(number=order.number)
    )


def _cancelled(values: dict) -> str:
    order = _order(values)
    event = OrderEvent.objects.get(pk=values["event_id"])
    if event.payment_status == PaymentStatus.REFUND_PENDING:
        text = gettext("Order {number} has been cancelled. The money you paid will be refunded.")
    else:
        text = gettext("Order {number} has been cancelled.")
    return _said(text.format(number=order.number))


def _return_status(values: dict) -> str:
    ret = Return.objects.select_related("order").get(pk=values["return_id"])
    event = ReturnEvent.objects.get(pk=values["event_id"])
    # The SMS tells of this event, whatever happened to the return since; the return's number
    # holds its order's.
    if event.status == ReturnStatus.APPROVED:
        text = gettext("Your return {number} is approved.").format(number=ret.number)
    elif event.status == ReturnStatus.REJECTED:
        text = gettext("Your return {number} was not accepted. We have e-mailed you why.").format(number=ret.number)
    else:
        amount = money_display(Decimal(event.parameters["amount"]), ret.order.currency)
        text = gettext("We have refunded {amount} for your return {number}.").format(amount=amount, number=ret.number)
    return _said(text)


def order_sms_kinds_register() -> None:
    sms_kind_register(ORDER_PLACED, _placed)
    sms_kind_register(ORDER_CONFIRMED, _confirmed)
    sms_kind_register(ORDER_PAID, _paid)
    sms_kind_register(ORDER_SHIPPED, _shipped)
    sms_kind_register(ORDER_DELIVERED, _delivered)
    sms_kind_register(ORDER_CANCELLED, _cancelled)
    sms_kind_register(RETURN_STATUS, _return_status)
