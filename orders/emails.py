"""Order e-mails, queued in the outbox inside the transaction that changes the order. Their
texts stay lazy until the outbox renders them, in the language active there."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ecommerce.outbox.services import email_enqueue
from orders.models import Order, OrderEvent, OrderItem, OrderStatus

HEADLINES = {
    OrderStatus.CONFIRMED: _("Your order is confirmed"),
    OrderStatus.PROCESSING: _("We are preparing your order"),
    OrderStatus.SHIPPED: _("Your order is on its way"),
    OrderStatus.DELIVERED: _("Your order has been delivered"),
    OrderStatus.CANCELLED: _("Your order has been cancelled"),
}


def _name(order: Order) -> str:
    return order.user.first_name or order.ship_to.full_name or order.user.username


def order_placed_email(*, order: Order, items: list[OrderItem]) -> None:
    """`items` are the order's lines as checkout just wrote them (not read back)."""
    email_enqueue(
        to=order.user.email,
        subject=format_lazy(_("Order {number} received"), number=order.number),
        template="orders/email/order_placed",
        context={"order": order, "items": items, "name": _name(order)},
        key=f"order-placed:{order.pk}",
    )


def order_status_email(*, order: Order, event: OrderEvent) -> None:
    email_enqueue(
        to=order.user.email,
        subject=format_lazy(_("Order {number}: {status}"), number=order.number, status=OrderStatus(order.status).label),
        template="orders/email/order_status",
        context={
            "order": order,
            "items": order.items.all(),
            "name": _name(order),
            "headline": HEADLINES[order.status],
            "note": event.note,
        },
        key=f"order-status:{event.pk}",
    )
