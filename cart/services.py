from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cart.error_codes import MergeAdjustmentReason
from cart.exceptions import CartNotFound, CartTooLarge, VariantRequired
from cart.lock_objects import cart_lock, carts_lock_for_merge, guest_cart_lock, guest_carts_lock_expired
from cart.models import Cart, CartItem
from cart.selectors import (
    CART_NOT_FOUND,
    CartContents,
    MergeAdjustment,
    MergedCart,
    cart_contents,
    cart_lines,
)
from cart.tokens import guest_carts_live_since, token_hash, token_new
from ecommerce.common.money import MAX_ORDER_TOTAL, money_display
from products.exceptions import InsufficientStock
from products.models import Variant
from products.services import shortage_line

PRODUCT_UNAVAILABLE = _("This product does not exist or is not for sale.")
VARIANT_UNAVAILABLE = _("This variant does not exist or is not for sale.")
VARIANT_REQUIRED = _("This product comes in several variants: add one of them by variant_id.")
ITEM_NOT_FOUND = "Not found."
CART_TOO_LARGE = _("The cart would come to more than the largest order the shop accepts ({amount}).")


def _for_sale():
    return Variant.objects.select_related("product").filter(is_active=True, product__is_active=True)


def _variant_to_add(*, variant_id: int | None, product_id: int | None) -> Variant:
    """The variant a customer adds: named, or the one variant of a product sold in one."""
    if variant_id is not None:
        variant = _for_sale().filter(pk=variant_id).first()
        if variant is None:
            raise ValidationError({"variant_id": [VARIANT_UNAVAILABLE]})
        return variant
    variants = list(_for_sale().filter(product_id=product_id)[:2])
    if not variants:
        raise ValidationError({"product_id": [PRODUCT_UNAVAILABLE]})
    if len(variants) > 1:
        raise VariantRequired(VARIANT_REQUIRED, extra={"product_id": product_id})
    return variants[0]


def _check_stock(variant: Variant, quantity: int) -> None:
    if quantity > variant.stock:
        line = shortage_line(variant_id=variant.pk, variant=variant, requested=quantity, available=variant.stock)
        raise InsufficientStock(
            gettext("Only {stock} of “{product}” ({sku}) in stock; the cart would hold {quantity}.").format(
                stock=variant.stock, product=variant.product.title, sku=variant.sku, quantity=quantity
            ),
            extra={"lines": [line]},
        )


def _others_total(lines: list[CartItem], variant: Variant) -> Decimal:
    """What the cart's lines of other variants come to at today's prices."""
    return sum((line.line_total for line in lines if line.variant_id != variant.pk), Decimal("0.00"))


def _check_subtotal(lines: list[CartItem], variant: Variant, quantity: int) -> None:
    """Refuse the change that would take the cart past MAX_ORDER_TOTAL at today's prices, before
    anything is saved: checkout could never accept it, and its sums would overflow a column."""
    if variant.unit_price * quantity + _others_total(lines, variant) > MAX_ORDER_TOTAL:
        raise CartTooLarge(
            CART_TOO_LARGE.format(amount=money_display(MAX_ORDER_TOTAL, settings.SHOP_CURRENCY)),
            extra={"max_total": str(MAX_ORDER_TOTAL)},
        )


def _touch(cart: Cart) -> None:
    # A guest cart lives GUEST_CART_DAYS from here.
    cart.updated_at = timezone.now()
    cart.save(update_fields=["updated_at"])


def _cart_to_change(*, user, token: str | None) -> Cart:
    """The cart a change is made to, locked: the user's (created on first use), or the guest
    cart of `token` (CartNotFound when it has none, or it expired)."""
    if user is not None:
        return cart_lock(user=user)
    if token is None:
        raise TypeError("a cart is named by its user or its guest token")
    cart = guest_cart_lock(token_hash=token_hash(token), changed_since=guest_carts_live_since())
    if cart is None:
        raise CartNotFound(str(CART_NOT_FOUND))
    return cart


@transaction.atomic
def cart_item_add(
    *,
    user=None,
    token: str | None = None,
    variant_id: int | None = None,
    product_id: int | None = None,
    quantity: int = 1,
) -> CartContents:
    """Add `quantity` of a variant (or of a product sold in one variant) to the user's cart or to
    the guest cart of `token`; a variant already in the cart has its quantity increased. Neither
    user nor token: a new guest cart, whose token the answer carries (it is kept nowhere else,
    and the cart is created only if the line is added). Returns the cart as it now is."""
    if user is None and token is None:
        token = token_new()
        cart = Cart.objects.create(token_hash=token_hash(token))
    else:
        cart = _cart_to_change(user=user, token=token)
    variant = _variant_to_add(variant_id=variant_id, product_id=product_id)
    lines = cart_lines(cart=cart)
    item = next((line for line in lines if line.variant_id == variant.pk), None)
    new_quantity = quantity + (item.quantity if item else 0)
    _check_stock(variant, new_quantity)
    _check_subtotal(lines, variant, new_quantity)
    if item is None:
        item = CartItem(cart=cart, variant=variant, quantity=new_quantity)
        lines.append(item)
    else:
        item.quantity = new_quantity
    # The fields' own limits; the cart and variant were just read under the lock, so full_clean's
    # existence and uniqueness queries would only repeat what is known.
    item.clean_fields(exclude=["cart", "variant"])
    item.save()
    _touch(cart)
    contents = cart_contents(cart=cart, lines=lines)
    contents.token = None if user is not None else token
    return contents


def _locked_item(*, user, token: str | None, item_id: int) -> tuple[Cart, CartItem]:
    cart = _cart_to_change(user=user, token=token)
    item = CartItem.objects.select_related("variant__product").filter(pk=item_id, cart=cart).first()
    if item is None:
        raise CartItem.DoesNotExist(ITEM_NOT_FOUND)
    return cart, item


@transaction.atomic
def cart_item_update_quantity(*, user=None, token: str | None = None, item_id: int, quantity: int) -> CartItem:
    cart, item = _locked_item(user=user, token=token, item_id=item_id)
    if not (item.variant.is_active and item.variant.product.is_active):
        raise ValidationError({"variant_id": [VARIANT_UNAVAILABLE]})
    _check_stock(item.variant, quantity)
    _check_subtotal(cart_lines(cart=cart), item.variant, quantity)
    item.quantity = quantity
    item.clean_fields(exclude=["cart", "variant"])
    item.save(update_fields=["quantity", "updated_at"])
    _touch(cart)
    return item


@transaction.atomic
def cart_item_remove(*, user=None, token: str | None = None, item_id: int) -> None:
    cart, item = _locked_item(user=user, token=token, item_id=item_id)
    item.delete()
    _touch(cart)


@transaction.atomic
def cart_clear(*, user=None, token: str | None = None) -> None:
    cart = _cart_to_change(user=user, token=token)
    cart.items.all().delete()
    _touch(cart)


def _room_for(variant: Variant, lines: list[CartItem]) -> int | None:
    """How many of `variant` a cart of `lines` may hold within MAX_ORDER_TOTAL (the other lines at
    today's prices); None for a free variant, which takes no room."""
    if variant.unit_price <= 0:
        return None
    return max(int((MAX_ORDER_TOTAL - _others_total(lines, variant)) // variant.unit_price), 0)


def _merged_quantity(
    variant: Variant, requested: int, lines: list[CartItem]
) -> tuple[int, MergeAdjustmentReason | None]:
    """What the user's cart keeps of `requested` units of a variant that is for sale, and why it
    keeps less: the stock there is first, then the largest order the shop accepts."""
    kept, reason = requested, None
    if kept > variant.stock:
        kept, reason = variant.stock, MergeAdjustmentReason.INSUFFICIENT_STOCK
    room = _room_for(variant, lines)
    if room is not None and kept > room:
        kept, reason = room, MergeAdjustmentReason.CART_TOO_LARGE
    return kept, reason


@transaction.atomic
def cart_merge(*, user, token: str) -> MergedCart:
    """Fold the guest cart of `token` into the user's: each of its lines is added to the user's
    line of the same variant (or becomes one), the sum capped at the stock there is and at the
    largest order the shop accepts; a line whose variant is no longer sold is dropped. Whatever
    was capped or dropped is in `adjustments`, nothing silently. The guest cart is deleted.

    Both carts are locked first (cart/lock_objects.py): a second merge of the token waits, then
    finds no guest cart (CartNotFound); an add to the guest cart either lands before the merge
    reads it or finds it gone."""
    cart, guest = carts_lock_for_merge(user=user, token_hash=token_hash(token), changed_since=guest_carts_live_since())
    if guest is None:
        raise CartNotFound(str(CART_NOT_FOUND))
    lines = cart_lines(cart=cart)
    adjustments = []
    for guest_line in cart_lines(cart=guest):
        variant = guest_line.variant
        line = next((line for line in lines if line.variant_id == variant.pk), None)
        held = line.quantity if line else 0
        requested = held + guest_line.quantity
        if not (variant.is_active and variant.product.is_active):
            adjustments.append(MergeAdjustment(variant.pk, requested, held, MergeAdjustmentReason.UNAVAILABLE))
            continue
        kept, reason = _merged_quantity(variant, requested, lines)
        if reason is not None:
            adjustments.append(MergeAdjustment(variant.pk, requested, kept, reason))
        if kept == 0:
            if line is not None:
                line.delete()
                lines.remove(line)
            continue
        if line is None:
            line = CartItem(cart=cart, variant=variant)
            lines.append(line)
        line.quantity = kept
        line.clean_fields(exclude=["cart", "variant"])
        line.save()
    guest.delete()
    _touch(cart)
    contents = cart_contents(cart=cart, lines=lines)
    return MergedCart(cart=cart, items=contents.items, adjustments=adjustments)


def guest_cart_delete_expired(*, batch_size: int = 500) -> int:
    """Delete the guest carts whose last change is GUEST_CART_DAYS old, a batch per transaction
    so that no lock is held long; customers' carts are never touched. Returns how many went."""
    changed_before = guest_carts_live_since()
    deleted = 0
    while True:
        with transaction.atomic():
            ids = guest_carts_lock_expired(changed_before=changed_before, limit=batch_size)
            Cart.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
        if len(ids) < batch_size:
            return deleted
