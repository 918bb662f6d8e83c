"""Checkout: turning a cart into an order, and the stock and coupon use an order holds."""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from addresses.models import Address
from addresses.selectors import address_get
from addresses.snapshots import AddressSnapshot
from cart.lock_objects import cart_lock
from cart.models import Cart, CartItem
from coupons.models import Coupon
from coupons.services import coupon_redeem, coupon_redemption_record
from ecommerce.common.money import MAX_ORDER_TOTAL
from orders.emails import order_placed_email
from orders.events import nothing_to_pay_event, placed_event
from orders.exceptions import EmptyCart, IdempotencyKeyReused, OrderTooLarge
from orders.models import (
    DeliveryChoice,
    DeliveryMethod,
    DocumentCounter,
    Order,
    OrderItem,
    OrderStatus,
    PaymentMethod,
)
from orders.pricing import OrderPricing, order_pricing
from orders.services.delivery import delivery_method_choose, payment_method_check
from orders.services.transitions import order_pay, order_record
from orders.sms import order_placed_sms
from products.models import Variant
from products.selectors import variant_map
from products.services import stock_check, stock_reserve

ADDRESS_NOT_YOURS = _("No address with this id in your address book.")
_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read over the phone


def _order_number() -> str:
    return "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))


def _own_address(*, user, pk: int, field: str) -> Address:
    try:
        return address_get(user=user, pk=pk)
    except Address.DoesNotExist as exc:
        raise ValidationError({field: [ADDRESS_NOT_YOURS]}) from exc


def _fingerprint(**request) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def _replayed_order(*, user, idempotency_key: str | None, fingerprint: str) -> Order | None:
    if not idempotency_key:
        return None
    order = Order.objects.filter(user=user, idempotency_key=idempotency_key).first()
    if order is not None and order.idempotency_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            gettext("This Idempotency-Key was already used for a different checkout request."),
        )
    return order


# The rows checkout locks, in the only order it locks them (a test holds it to this):
# 1. the customer's cart, first: it serialises one customer's checkouts, so a retried request
#    waits here for the first one to commit and then finds its order;
# 2. the coupon, while its use is counted;
# 3. the variants, just before the commit: buyers of the same item queue on its rows, so
#    every statement before this lock is one they do not wait for;
# 4. the receipt counter, only for an order with nothing to pay (paid at once): every payment
#    of the shop queues on that one row, and each takes it after its other locks.
CHECKOUT_LOCK_ORDER = (Cart, Coupon, Variant, DocumentCounter)


@dataclass(frozen=True)
class CheckoutInfo:
    """What a checkout is made of, read before anything is written: the cart's lines, their
    variants (read, not locked), the addresses and the delivery method."""

    user: object
    cart: Cart
    quantities: dict[int, int]  # {variant_id: units}
    variants: dict[int, Variant]
    shipping: Address
    billing: Address
    method: DeliveryMethod | None

    @property
    def subtotal(self) -> Decimal:
        return sum((self.variants[vid].unit_price * units for vid, units in self.quantities.items()), Decimal("0.00"))


def checkout_info_fetch(
    *, user, cart: Cart, shipping_address_id: int, billing_address_id: int | None, delivery_method: str
) -> CheckoutInfo:
    """Read the checkout: refuse an empty cart, another customer's address, a delivery method
    that does not serve the address, and lines the stock cannot supply (an early look on a
    plain read; the locked check at the end is the one that counts)."""
    quantities = dict(CartItem.objects.filter(cart=cart).order_by("variant_id").values_list("variant_id", "quantity"))
    if not quantities:
        raise EmptyCart(gettext("Your cart is empty."))
    shipping = _own_address(user=user, pk=shipping_address_id, field="shipping_address_id")
    billing = (
        _own_address(user=user, pk=billing_address_id, field="billing_address_id")
        if billing_address_id is not None
        else shipping
    )
    method = delivery_method_choose(code=delivery_method, address=AddressSnapshot.from_address(shipping))
    variants = variant_map(ids=quantities)
    stock_check(variants=variants, quantities=quantities)
    info = CheckoutInfo(
        user=user,
        cart=cart,
        quantities=quantities,
        variants=variants,
        shipping=shipping,
        billing=billing,
        method=method,
    )
    _within_bounds(info.subtotal)
    return info


def _within_bounds(amount: Decimal) -> None:
    if amount > MAX_ORDER_TOTAL:
        raise OrderTooLarge(gettext("This order is larger than the shop can accept."))


@transaction.atomic
def order_place_from_cart(
    *,
    user,
    shipping_address_id: int,
    billing_address_id: int | None = None,
    delivery_method: str = "",
    payment_method: str = PaymentMethod.CHAPA,
    coupon_code: str = "",
    notes: str = "",
    buyer_tin: str = "",
    idempotency_key: str | None = None,
) -> tuple[Order, bool]:
    """Turn the user's cart into an order, in one transaction and these steps: lock the cart
    (and replay a request seen before), read the checkout, count the coupon's use, price it,
    write the order, and last take the stock (CHECKOUT_LOCK_ORDER). Any failure rolls all of it
    back and leaves the cart as it was.

    Returns the order and whether it was created now; with an `idempotency_key` seen before it
    returns that earlier order instead of placing a second one. A new order carries its lines
    and events as `item_list` and `event_list`, as the order selectors give them.
    """
    fingerprint = _fingerprint(
        shipping=shipping_address_id,
        billing=billing_address_id,
        delivery=delivery_method,
        payment=payment_method,
        coupon=coupon_code,
        notes=notes,
        buyer_tin=buyer_tin,
    )
    cart = cart_lock(user=user)
    replayed = _replayed_order(user=user, idempotency_key=idempotency_key, fingerprint=fingerprint)
    if replayed is not None:
        return replayed, False
    info = checkout_info_fetch(
        user=user,
        cart=cart,
        shipping_address_id=shipping_address_id,
        billing_address_id=billing_address_id,
        delivery_method=delivery_method,
    )
    coupon = coupon_redeem(code=coupon_code, user=user, subtotal=info.subtotal)[0] if coupon_code else None
    pricing = order_pricing(subtotal=info.subtotal, coupon=coupon, method=info.method)
    _within_bounds(pricing.total)
    payment_method_check(payment_method=payment_method, method=info.method, total=pricing.total)
    order = _order_write(
        info=info,
        pricing=pricing,
        coupon=coupon,
        payment_method=payment_method,
        notes=notes,
        buyer_tin=buyer_tin,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
    stock_reserve(quantities=info.quantities, order_id=order.pk)
    if pricing.total == 0:
        # Fully discounted: there is nothing to pay, so nothing to wait for (the order e-mail,
        # written when sent, says it is confirmed). Paid after the stock is taken, because paying
        # locks the receipt counter, which comes last (CHECKOUT_LOCK_ORDER).
        order.event_list.append(order_pay(order=order, event=nothing_to_pay_event()))
    return order, True


def _order_write(
    *,
    info: CheckoutInfo,
    pricing: OrderPricing,
    coupon: Coupon | None,
    payment_method: str,
    notes: str,
    buyer_tin: str,
    idempotency_key: str | None,
    fingerprint: str,
) -> Order:
    """Write the order as priced: prices, titles, addresses and the delivery method copied onto
    it, its lines, its first event, the coupon's redemption, the cart emptied, the e-mail queued.

    A Chapa order waits for its payment (pending, with a payment window); a cash-on-delivery
    order is confirmed at once and unpaid, with no window: its money comes at the door."""
    user, method, variants = info.user, info.method, info.variants
    cash_on_delivery = payment_method == PaymentMethod.CASH_ON_DELIVERY
    order = Order(
        user=user,
        status=OrderStatus.CONFIRMED if cash_on_delivery else OrderStatus.PENDING,
        payment_method=payment_method,
        subtotal=pricing.subtotal,
        discount_amount=pricing.discount,
        delivery_fee=pricing.delivery_fee,
        total=pricing.total,
        vat_amount=pricing.vat,
        currency=settings.SHOP_CURRENCY,
        coupon=coupon,
        coupon_code=coupon.code if coupon else "",
        delivery=DeliveryChoice.from_method(method).as_dict() if method else None,
        shipping_address=AddressSnapshot.from_address(info.shipping).as_dict(),
        billing_address=AddressSnapshot.from_address(info.billing).as_dict(),
        notes=notes,
        buyer_tin=buyer_tin,
        expires_at=None
        if cash_on_delivery
        else timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_TIMEOUT_MINUTES),
        idempotency_key=idempotency_key or None,
        idempotency_fingerprint=fingerprint if idempotency_key else "",
    )
    _save_with_unique_number(order)
    items = OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                product_id=variants[vid].product_id,
                variant_id=vid,
                product_title=variants[vid].product.title,
                sku=variants[vid].sku,
                variant_options=variants[vid].options,
                unit_price=variants[vid].unit_price,
                quantity=units,
                line_total=variants[vid].unit_price * units,
            )
            for vid, units in sorted(info.quantities.items())
        ]
    )
    placed = order_record(order=order, event=placed_event(actor=user, cash_on_delivery=cash_on_delivery))
    if coupon is not None:
        coupon_redemption_record(coupon=coupon, user=user, order_id=order.pk)
    order.item_list, order.event_list, order.return_list = items, [placed], []
    CartItem.objects.filter(cart=info.cart).delete()
    order_placed_email(order=order, items=items)
    order_placed_sms(order=order)
    return order


def _save_with_unique_number(order: Order, attempts: int = 5) -> None:
    for attempt in range(attempts):
        order.number = _order_number()
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == attempts - 1 or not Order.objects.filter(number=order.number).exists():
                raise
