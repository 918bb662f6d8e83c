from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cart.exceptions import CartTooLarge, VariantRequired
from cart.lock_objects import cart_lock
from cart.models import Cart, CartItem
from cart.selectors import CartContents, cart_contents, cart_lines
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


def _check_subtotal(lines: list[CartItem], variant: Variant, quantity: int) -> None:
    """Refuse the change that would take the cart past MAX_ORDER_TOTAL at today's prices, before
    anything is saved: checkout could never accept it, and its sums would overflow a column."""
    others = sum((line.line_total for line in lines if line.variant_id != variant.pk), Decimal("0.00"))
    if variant.unit_price * quantity + others > MAX_ORDER_TOTAL:
        raise CartTooLarge(
            CART_TOO_LARGE.format(amount=money_display(MAX_ORDER_TOTAL, settings.SHOP_CURRENCY)),
            extra={"max_total": str(MAX_ORDER_TOTAL)},
        )


def _touch(cart: Cart) -> None:
    cart.updated_at = timezone.now()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_item_add(
    *, user, variant_id: int | None = None, product_id: int | None = None, quantity: int = 1
) -> CartContents:
    """Add `quantity` of a variant (or of a product sold in one variant); a variant already in
    the cart has its quantity increased. Returns the cart as it now is."""
    cart = cart_lock(user=user)
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
    return cart_contents(cart=cart, lines=lines)


def _locked_item(*, user, item_id: int) -> tuple[Cart, CartItem]:
    cart = cart_lock(user=user)
    item = CartItem.objects.select_related("variant__product").filter(pk=item_id, cart=cart).first()
    if item is None:
        raise CartItem.DoesNotExist(ITEM_NOT_FOUND)
    return cart, item


@transaction.atomic
def cart_item_update_quantity(*, user, item_id: int, quantity: int) -> CartItem:
    cart, item = _locked_item(user=user, item_id=item_id)
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
def cart_item_remove(*, user, item_id: int) -> None:
    cart, item = _locked_item(user=user, item_id=item_id)
    item.delete()
    _touch(cart)


@transaction.atomic
def cart_clear(*, user) -> None:
    cart = cart_lock(user=user)
    cart.items.all().delete()
    _touch(cart)
