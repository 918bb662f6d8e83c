from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from cart.error_codes import MergeAdjustmentReason
from cart.exceptions import CartNotFound
from cart.models import Cart, CartItem
from cart.tokens import guest_carts_live_since, token_hash
from products.models import ProductImage

CART_NOT_FOUND = _("No cart with this token: it has expired or been merged. Start a new one.")


@dataclass
class CartContents:
    """A cart with its totals, computed on the server from current prices."""

    cart: Cart
    items: list[CartItem] = field(default_factory=list)
    # A guest cart's token, which its holder sent (or was just given); None for a customer's cart.
    token: str | None = None

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


@dataclass(frozen=True)
class MergeAdjustment:
    """A guest cart's line that the merge kept less of than the two carts held together."""

    variant_id: int
    requested: int  # the user's quantity and the guest's, summed
    kept: int  # what the user's cart now holds (0: the line is not in it)
    reason: MergeAdjustmentReason


@dataclass
class MergedCart(CartContents):
    """The user's cart after a guest cart was merged into it, and what the merge changed."""

    adjustments: list[MergeAdjustment] = field(default_factory=list)


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


def guest_cart_get(*, token: str) -> CartContents:
    """The guest cart of this token with its lines, as `cart_get` reads a customer's; an unknown,
    altered or expired token is CartNotFound (404), whichever it was."""
    cart = Cart.objects.filter(
        token_hash=token_hash(token), user__isnull=True, updated_at__gte=guest_carts_live_since()
    ).first()
    if cart is None:
        raise CartNotFound(str(CART_NOT_FOUND))
    contents = cart_contents(cart=cart, lines=cart_lines(cart=cart))
    contents.token = token
    return contents
