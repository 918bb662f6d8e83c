from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from orders.models import Order, OrderStatus

STATUS_INVALID = "Unknown status. Use one of: " + ", ".join(OrderStatus.values) + "."


def _orders_for(user) -> QuerySet[Order]:
    qs = Order.objects.prefetch_related("items", "events")
    return qs if user.is_staff else qs.filter(user=user)


def order_list(*, user, status: str | None = None) -> QuerySet[Order]:
    """The user's own orders, or every order for staff, newest first."""
    qs = _orders_for(user)
    if status:
        if status not in OrderStatus.values:
            raise ValidationError({"status": [STATUS_INVALID]})
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "pk")


def order_get(*, user, pk) -> Order:
    """One order, if it is the user's or the user is staff; otherwise Order.DoesNotExist (404)."""
    return _orders_for(user).get(pk=pk)
