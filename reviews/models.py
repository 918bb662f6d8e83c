from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.common.models import TimeStampedModel


class Review(TimeStampedModel):
    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("product")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("user")
    )
    rating = models.PositiveSmallIntegerField(verbose_name=_("rating"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    # Only buyers may review, so every review is a verified purchase; kept as a field so the
    # API can say so and imported reviews could say otherwise.
    verified_purchase = models.BooleanField(default=True, verbose_name=_("verified purchase"))
    # Moderation: a hidden review is kept but shown to nobody but its author and staff, and
    # does not count in the product's rating.
    is_visible = models.BooleanField(default=True, verbose_name=_("visible"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "user"],
                name="review_one_per_user_and_product",
                violation_error_message=_("You have already reviewed this product."),
            ),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["product", "is_visible", "-created_at"], name="review_product_visible_idx")]

    def __str__(self) -> str:
        return gettext("{rating}★ {product} by {user}").format(rating=self.rating, product=self.product, user=self.user)
