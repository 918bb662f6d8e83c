"""Order e-mails, queued in the outbox inside the transaction that changes the order and written
when sent, in the customer's language (ecommerce.outbox.kinds)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.outbox.kinds import email_kind_register
from ecommerce.outbox.services import email_enqueue
from orders.models import Order, OrderEvent, OrderItem, OrderStatus, Return, ReturnEvent, ReturnStatus
from orders.sms import return_status_sms

ORDER_PLACED = "orders/email/order_placed"
ORDER_STATUS = "orders/email/order_status"
RETURN_STATUS = "orders/email/return_status"

HEADLINES = {
    OrderStatus.CONFIRMED: _("Your order is confirmed"),
    OrderStatus.PROCESSING: _("We are preparing your order"),
    OrderStatus.SHIPPED: _("Your order is on its way"),
    OrderStatus.DELIVERED: _("Your order has been delivered"),
    OrderStatus.CANCELLED: _("Your order has been cancelled"),
}


def _name(order: Order) -> str:
    return order.user.first_name or order.ship_to.full_name or order.user.username


def _order(order_id) -> Order:
    return Order.objects.select_related("user").get(pk=order_id)


def order_placed_email(*, order: Order, items: list[OrderItem]) -> None:
    """`items` are the order's lines as checkout just wrote them; the e-mail reads them again."""
    email_enqueue(
        to=order.user.email,
        language=order.user.language,
        template=ORDER_PLACED,
        context={"order_id": str(order.pk)},
        key=f"order-placed:{order.pk}",
    )


def _order_placed(values: dict) -> tuple[str, dict]:
    order = _order(values["order_id"])
    subject = gettext("Order {number} received").format(number=order.number)
    return subject, {"order": order, "items": list(order.items.all()), "name": _name(order)}


def order_status_email(*, order: Order, event: OrderEvent) -> None:
    email_enqueue(
        to=order.user.email,
        language=order.user.language,
        template=ORDER_STATUS,
        context={"order_id": str(order.pk), "event_id": event.pk},
        key=f"order-status:{event.pk}",
    )


def _order_status(values: dict) -> tuple[str, dict]:
    order = _order(values["order_id"])
    event = OrderEvent.objects.get(pk=values["event_id"])
    # The e-mail tells of this event: the order as the event left it, even if it has moved on
    # by the time the e-mail goes out (a retry after an outage). Never saved.
    order.status, order.payment_status = event.status, event.payment_status
    # The same words as the HTML part's title.
    subject = gettext("Order %(number)s: %(status)s") % {"number": order.number, "status": order.get_status_display()}
    return subject, {
        "order": order,
        "items": list(order.items.all()),
        "name": _name(order),
        "headline": HEADLINES[order.status],
        "note": event.note,
    }


RETURN_HEADLINES = {
    ReturnStatus.APPROVED: _("Your return is approved"),
    ReturnStatus.REJECTED: _("Your return was not accepted"),
    ReturnStatus.REFUNDED: _("Your return is refunded"),
}


def return_status_notify(*, ret: Return, event: ReturnEvent) -> None:
    """Tell the customer a return was approved, rejected or refunded, in the transaction that
    moved it. The one place these messages are queued: the SMS joins the e-mail here."""
    user = ret.order.user
    email_enqueue(
        to=user.email,
        language=user.language,
        template=RETURN_STATUS,
        context={"return_id": ret.pk, "event_id": event.pk},
        key=f"return-status:{event.pk}",
        # The refund's credit note, drawn by payments when the e-mail is sent.
        attachments=[("credit_note", ret.pk)] if event.status == ReturnStatus.REFUNDED else [],
    )
    return_status_sms(ret=ret, event=event)


def _return_status(values: dict) -> tuple[str, dict]:
    ret = Return.objects.select_related("order__user").get(pk=values["return_id"])
    event = ReturnEvent.objects.get(pk=values["event_id"])
    # The e-mail tells of this event, whatever happened to the return since. Never saved.
    ret.status = event.status
    subject = gettext("Return {number}: {status}").format(number=ret.number, status=ret.get_status_display())
    return subject, {
        "ret": ret,
        "order": ret.order,
        "lines": list(ret.lines.select_related("order_item")),
        "name": _name(ret.order),
        "headline": RETURN_HEADLINES[ret.status],
        "note": event.note,
    }


def order_email_kinds_register() -> None:
    email_kind_register(ORDER_PLACED, _order_placed)
    email_kind_register(ORDER_STATUS, _order_status)
    email_kind_register(RETURN_STATUS, _return_status)
