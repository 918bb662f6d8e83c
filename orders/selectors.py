import hmac
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from addresses.selectors import address_get
from cart.selectors import cart_get
from ecommerce.common.permissions import staff_can, staff_can_view
from ecommerce.common.translations import translated
from ecommerce.common.validators import normalize_ethiopian_phone
from orders.models import DeliveryMethod, Order, Return
from orders.pricing import delivery_fee, delivery_serves


def order_list(*, user, filters: dict) -> QuerySet[Order]:
    """The user's own orders, or every order for staff who may see orders, newest first;
    `filters` are validated `status` and `payment_status` values."""
    return _orders_for(user, sees_all=staff_can_view(user, Order)).filter(**filters).order_by("-created_at", "pk")


def _orders_for(user, *, sees_all: bool) -> QuerySet[Order]:
    """Orders with their lines and history as lists, `item_list` and `event_list` (what checkout
    sets on the order it has just written, so that it need not read it back)."""
    qs = Order.objects.prefetch_related(
        Prefetch("items", to_attr="item_list"),
        Prefetch("events", to_attr="event_list"),
        Prefetch("returns", queryset=Return.objects.order_by("pk"), to_attr="return_list"),
    )
    return qs if sees_all else qs.filter(user=user)


def order_get(*, user, pk, staff_permission: str | None = None) -> Order:
    """One order, if it is the user's, or the user is staff who may see orders (or, when given,
    holds `staff_permission`: what a staff action on any order needs); otherwise
    Order.DoesNotExist (404)."""
    sees_all = staff_can(user, staff_permission) if staff_permission else staff_can_view(user, Order)
    return _orders_for(user, sees_all=sees_all).get(pk=pk)


def _phone_key(phone: str) -> bytes:
    """A phone as tracking compares it: an Ethiopian number in its one local form, whatever form
    it was written in; any other (an address abroad) without its spaces, dashes and brackets."""
    try:
        return normalize_ethiopian_phone(phone).encode()
    except ValidationError:
        return re.sub(r"[\s\-()]", "", phone).encode()


def order_track(*, number: str, phone: str) -> Order:
    """The order of this number, with its events, if `phone` is its shipping phone; otherwise
    Order.DoesNotExist. An unknown number and a wrong phone are the same answer after the same
    work (one query, one constant-time comparison), so neither tells whether the number exists."""
    order = Order.objects.filter(number=number.strip().upper()).first()
    given, shipped_to = _phone_key(phone), _phone_key(order.ship_to.phone if order is not None else "")
    if not (hmac.compare_digest(given, shipped_to) and given and order is not None):
        raise Order.DoesNotExist
    prefetch_related_objects([order], Prefetch("events", to_attr="event_list"))
    return order


def _returns_for(user, *, sees_all: bool) -> QuerySet[Return]:
    qs = Return.objects.select_related("order").prefetch_related("lines__order_item", "events", "refunds")
    return qs if sees_all else qs.filter(order__user=user)


def return_list(*, user, filters: dict) -> QuerySet[Return]:
    """The user's own returns, or every return for staff who may see returns, newest first;
    `filters` holds a validated `status`."""
    return _returns_for(user, sees_all=staff_can_view(user, Return)).filter(**filters).order_by("-created_at", "-pk")


def return_get(*, user, pk, staff_permission: str | None = None) -> Return:
    """One return, if it is the user's or the user is staff who may see returns (or holds
    `staff_permission`); otherwise Return.DoesNotExist (404)."""
    sees_all = staff_can(user, staff_permission) if staff_permission else staff_can_view(user, Return)
    return _returns_for(user, sees_all=sees_all).get(pk=pk)


@dataclass(frozen=True)
class DeliveryOption:
    method: DeliveryMethod
    fee_for_cart: Decimal


def delivery_option_list(*, user, address_id: int) -> list[DeliveryOption]:
    """The active methods that serve one of the user's addresses, with their fee for the
    user's cart as it is (no coupon), cheapest first. Another user's address: DoesNotExist."""
    address = address_get(user=user, pk=address_id)
    subtotal = cart_get(user=user).subtotal
    options = [
        DeliveryOption(method=method, fee_for_cart=delivery_fee(method=method, subtotal=subtotal))
        for method in DeliveryMethod.objects.filter(is_active=True)
        if delivery_serves(method=method, country=address.country, region=address.region, city=address.city)
    ]
    # By the name the reader sees, in their language.
    return sorted(options, key=lambda option: (option.fee_for_cart, translated(option.method, "name")))
