from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects

from cart.models import Cart, CartItem
from products.models import ProductImage


@dataclass
class CartContents:
    """A cart with its totals, computed on the server from current prices."""

    cart: Cart
    items: list[CartItem] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.cart.pk

    @property
    def updated_at(self):
        return self.cart.updated_at

    @property
    def total_items(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def subtotal(self) -> Decimal:
        return sum((item.line_total for item in self.items), Decimal("0.00"))


_IMAGES = Prefetch("variant__product__images", queryset=ProductImage.objects.order_by("position", "pk"))


def cart_lines(*, cart: Cart) -> list[CartItem]:
    """A cart's lines in the order they were added, each with its variant and product."""
    return list(CartItem.objects.filter(cart=cart).select_related("variant__product").order_by("created_at", "pk"))


def cart_contents(*, cart: Cart, lines: list[CartItem]) -> CartContents:
    """The contents of a cart whose lines are loaded (`cart_lines`): only the product images
    are read."""
    prefetch_related_objects(lines, _IMAGES)
    return CartContents(cart=cart, items=lines)


def cart_get(*, user) -> CartContents:
    """The user's cart with its lines, variants, products, options and product images in a
    bounded number of queries, created on first use."""
    cart = Cart.objects.filter(user=user).first()
    if cart is None:
        cart, _ = Cart.objects.get_or_create(user=user)
        return CartContents(cart=cart)
    return cart_contents(cart=cart, lines=cart_lines(cart=cart))
