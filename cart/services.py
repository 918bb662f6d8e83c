from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cart.lock_objects import cart_lock
from cart.models import Cart, CartItem
from ecommerce.common.exceptions import ApplicationError
from ecommerce.common.money import MAX_ORDER_TOTAL
from products.models import Product

PRODUCT_UNAVAILABLE = "This product does not exist or is not for sale."
ITEM_NOT_FOUND = "Not found."
CART_TOO_LARGE = f"The cart would come to more than the largest order the shop accepts ({MAX_ORDER_TOTAL} ETB)."


class CartStockError(ApplicationError):
    """The cart would hold more of a product than is in stock. A 400: the cart is not changed."""

    default_code = "insufficient_stock"


def _available_product(product_id: int) -> Product:
    product = Product.objects.filter(pk=product_id, is_active=True).first()
    if product is None:
        raise ValidationError({"product_id": [PRODUCT_UNAVAILABLE]})
    return product


def _check_stock(product: Product, quantity: int) -> None:
    if quantity > product.stock:
        raise CartStockError(
            f"Only {product.stock} of “{product.title}” in stock; the cart would hold {quantity}.",
            extra={"product_id": product.pk, "available": product.stock, "requested": quantity},
        )


class CartTooLarge(ApplicationError):
    """The cart would come to more than an order may. A 400: the cart is not changed."""

    default_code = "cart_too_large"


def _check_subtotal(cart: Cart, product: Product, quantity: int) -> None:
    """Refuse the change that would take the cart past MAX_ORDER_TOTAL at today's prices, before
    anything is saved: checkout could never accept it, and its sums would overflow a column."""
    other_lines = CartItem.objects.filter(cart=cart).exclude(product=product).select_related("product")
    subtotal = product.price * quantity + sum((line.line_total for line in other_lines), Decimal("0.00"))
    if subtotal > MAX_ORDER_TOTAL:
        raise CartTooLarge(CART_TOO_LARGE, extra={"max_total": str(MAX_ORDER_TOTAL)})


def _touch(cart: Cart) -> None:
    cart.updated_at = timezone.now()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_item_add(*, user, product_id: int, quantity: int = 1) -> CartItem:
    """Add `quantity` of a product; a product already in the cart has its quantity increased."""
    cart = cart_lock(user=user)
    product = _available_product(product_id)
    item = CartItem.objects.filter(cart=cart, product=product).first()
    new_quantity = quantity + (item.quantity if item else 0)
    _check_stock(product, new_quantity)
    _check_subtotal(cart, product, new_quantity)
    if item is None:
        item = CartItem(cart=cart, product=product, quantity=new_quantity)
    else:
        item.quantity = new_quantity
    item.full_clean(validate_unique=False)
    item.save()
    _touch(cart)
    return item


def _locked_item(*, user, item_id: int) -> tuple[Cart, CartItem]:
    cart = cart_lock(user=user)
    item = CartItem.objects.select_related("product").filter(pk=item_id, cart=cart).first()
    if item is None:
        raise CartItem.DoesNotExist(ITEM_NOT_FOUND)
    return cart, item


@transaction.atomic
def cart_item_update_quantity(*, user, item_id: int, quantity: int) -> CartItem:
    cart, item = _locked_item(user=user, item_id=item_id)
    if not item.product.is_active:
        raise ValidationError({"product_id": [PRODUCT_UNAVAILABLE]})
    _check_stock(item.product, quantity)
    _check_subtotal(cart, item.product, quantity)
    item.quantity = quantity
    item.full_clean(validate_unique=False)
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
