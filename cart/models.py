from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.common.models import TimeStampedModel


class Cart(TimeStampedModel):
    """A signed-in customer's cart (`user`), or a guest's, reached only with its token: the
    row keeps the token's SHA-256 (`token_hash`), never the token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False, verbose_name=_("token hash")
    )

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, token_hash__isnull=True)
                | models.Q(user__isnull=True, token_hash__isnull=False),
                name="cart_user_or_guest_token",
            ),
        ]
        # What the sweep of expired guest carts reads.
        indexes = [
            models.Index(fields=["updated_at"], condition=models.Q(user__isnull=True), name="cart_guest_updated_idx")
        ]

    def __str__(self) -> str:
        if self.user_id is None:
            return gettext("Guest cart {id}").format(id=self.pk)
        return gettext("Cart of {user}").format(user=self.user)


class CartItem(TimeStampedModel):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items", verbose_name=_("cart"))
    variant = models.ForeignKey(
        "products.Variant", on_delete=models.CASCADE, related_name="cart_items", verbose_name=_("variant")
    )
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_item_one_line_per_variant"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="cart_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant}"

    @property
    def unit_price(self):
        # Carts show today's price; the order copies it at checkout.
        return self.variant.unit_price

    @property
    def line_total(self):
        return self.unit_price * self.quantity
