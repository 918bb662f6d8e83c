from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from ecommerce.common.models import TimeStampedModel


class Currency(models.TextChoices):
    ETB = "ETB", "Ethiopian birr"


class Product(TimeStampedModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.ETB)
    category = models.ForeignKey("categories.Category", on_delete=models.PROTECT, related_name="products")
    stock = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # Kept up to date by the review services, so listings need no aggregate per product.
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0.00"))
    review_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["title"], name="product_title_idx"),
            models.Index(fields=["price"], name="product_price_idx"),
            models.Index(fields=["is_active"], name="product_is_active_idx"),
            # Category pages: filter on both, newest first, straight from the index.
            models.Index(fields=["category", "is_active", "created_at"], name="product_category_active_idx"),
            models.Index(fields=["rating_avg"], name="product_rating_avg_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="product_stock_non_negative"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_non_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_stock(self) -> bool:
        return self.stock > 0
