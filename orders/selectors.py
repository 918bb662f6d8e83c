from django.db.models import QuerySet

from orders.models import Order


def order_list(*, user, filters: dict) -> QuerySet[Order]:
    """The user's own orders, or every order for staff, newest first; `filters` are validated
    `status` and `payment_status` values."""
    return _orders_for(user).filter(**filters).order_by("-created_at", "pk")


def _orders_for(user) -> QuerySet[Order]:
    qs = Order.objects.prefetch_related("items", "events")
    return qs if user.is_staff else qs.filter(user=user)


def order_get(*, user, pk) -> Order:
    """One order, if it is the user's or the user is staff; otherwise Order.DoesNotExist (404)."""
    return _orders_for(user).get(pk=pk)
