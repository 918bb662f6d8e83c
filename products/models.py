from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _

from ecommerce.common.folding import search_text
from ecommerce.common.models import TimeStampedModel, actor_field
from ecommerce.common.translations import translation_texts

# The most a stock column holds (PostgreSQL's integer): a variant's stock and a product's total.
MAX_STOCK = 2_147_483_647


class Currency(models.TextChoices):
    ETB = "ETB", _("Ethiopian birr")


class Product(TimeStampedModel):
    title = models.CharField(max_length=200, verbose_name=_("title"))
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    # The other languages' title and description (ecommerce.common.translations); the plain fields are the shop's.
    translations = models.JSONField(
        default=dict, db_default={}, blank=True, editable=False, verbose_name=_("translations")
    )
    # The price of a variant that names none of its own.
    base_price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], verbose_name=_("base price")
    )
    currency = models.CharField(
        max_length=3, choices=Currency.choices, default=Currency.ETB, verbose_name=_("currency")
    )
    category = models.ForeignKey(
        "categories.Category", on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    # Kept up to date from the active variants by the stock and variant services, in the same
    # transaction as the change, so listings filter and sort with no aggregate per request.
    price = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), editable=False, verbose_name=_("lowest price")
    )
    price_max = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), editable=False, verbose_name=_("highest price")
    )
    stock = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("stock"))
    # [{name, values, translations}] as shoppers see them, kept with the options (and their
    # translations, {"am": {"name", "values"}}) so a listing reads no more rows.
    option_summary = models.JSONField(default=list, blank=True, editable=False, verbose_name=_("option summary"))
    # Kept up to date by the review services, so listings need no aggregate per product.
    rating_avg = models.DecimalField(
        max_digits=3, decimal_places=2, default=Decimal("0.00"), verbose_name=_("average rating")
    )
    review_count = models.PositiveIntegerField(default=0, verbose_name=_("review count"))
    # What `search=` looks in: the searchable texts folded (product_search_text), kept by the
    # services that write them; on PostgreSQL behind a trigram index (migration 0010).
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # One per ordering of the list, with the primary key as its tiebreaker: a page,
            # and a cursor page at any depth ((field, id) > (value, id)), is a short index range.
            models.Index(fields=["title", "id"], name="product_title_idx"),
            models.Index(fields=["price", "id"], name="product_price_idx"),
            models.Index(fields=["created_at", "id"], name="product_created_idx"),
            models.Index(fields=["rating_avg", "id"], name="product_rating_avg_idx"),
            models.Index(fields=["is_active"], name="product_is_active_idx"),
            # The public list holds active products only, newest first: a page's ids come from
            # these alone (an index-only scan), at any depth and on category pages, without
            # reading the row of every product a deep page skips.
            models.Index(fields=["created_at", "id"], name="product_active_created_idx", condition=Q(is_active=True)),
            models.Index(
                fields=["category", "created_at", "id"],
                name="product_category_created_idx",
                condition=Q(is_active=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="product_stock_non_negative"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_non_negative"),
            models.CheckConstraint(condition=models.Q(base_price__gte=0), name="product_base_price_non_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


def product_search_text(*, title: str, description: str, translations: dict) -> str:
    """Product.search_text for these texts: the title and description in every language, folded.
    A text added here needs a data migration that writes the column again."""
    return search_text(title, description, *translation_texts(translations, ["title", "description"]))


def option_key(text: str) -> str:
    """How option names and values are told apart: stripped and case-folded, so that 'ΑΣ' and
    'ασ' are one ('ΑΣ'.lower() is 'ας'). The unique constraints below fold case the database's
    way, which may still join two this keeps apart ('İ' and 'i' on PostgreSQL)."""
    return text.strip().casefold()


class ProductOption(models.Model):
    """A way the product varies (Size, Colour), with its values in the order shoppers see them."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="options", verbose_name=_("product"))
    name = models.CharField(max_length=50, verbose_name=_("name"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    # The other languages' name (ecommerce.common.translations); the plain fields are the shop's.
    translations = models.JSONField(
        default=dict, db_default={}, blank=True, editable=False, verbose_name=_("translations")
    )

    class Meta:
        verbose_name = _("product option")
        verbose_name_plural = _("product options")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint("product", Lower("name"), name="product_option_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductOptionValue(models.Model):
    option = models.ForeignKey(ProductOption, on_delete=models.CASCADE, related_name="values", verbose_name=_("option"))
    value = models.CharField(max_length=50, verbose_name=_("value"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    # The value in the other languages, {"am": {"value": "ትንሽ"}}: kept on the value's row, so it
    # follows the value when values are reordered.
    translations = models.JSONField(
        default=dict, db_default={}, blank=True, editable=False, verbose_name=_("translations")
    )

    class Meta:
        verbose_name = _("option value")
        verbose_name_plural = _("option values")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint("option", Lower("value"), name="product_option_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.option.name}: {self.value}"


class Variant(TimeStampedModel):
    """What is sold and counted: one combination of the product's option values, with its SKU
    and its own stock. A product without options has one variant that names none."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product"))
    sku = models.CharField(max_length=64, verbose_name=_("SKU"))
    option_values = models.ManyToManyField(
        ProductOptionValue, related_name="variants", blank=True, verbose_name=_("option values")
    )
    # The option values as "name=value" pairs, lower case and sorted: two variants of a product
    # can never stand for the same combination.
    options_key = models.CharField(max_length=500, blank=True, editable=False, verbose_name=_("options key"))
    # {option name: value} in the product's option order, kept with `option_values`.
    options = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("options"))
    price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: the product's price."),
        verbose_name=_("price"),
    )
    stock = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("stock"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    low_stock_threshold = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Staff are told when stock falls to this; empty: the shop's default."),
        verbose_name=_("low stock threshold"),
    )

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["pk"]
        # Stock changes only by an adjustment written to the ledger, never by editing the variant.
        permissions = [("adjust_stock", "Can adjust stock")]
        constraints = [
            models.UniqueConstraint(
                Upper("sku"), name="variant_sku_ci_unique", violation_error_message=_("A variant with this SKU exists.")
            ),
            models.UniqueConstraint(
                fields=["product", "options_key"],
                name="variant_options_unique_per_product",
                violation_error_message=_("Another variant of this product has the same options."),
            ),
            models.CheckConstraint(condition=Q(stock__gte=0), name="variant_stock_non_negative"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="variant_price_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.sku

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def threshold(self) -> int:
        return self.low_stock_threshold if self.low_stock_threshold is not None else settings.LOW_STOCK_THRESHOLD

    @property
    def unit_price(self) -> Decimal:
        """What one unit sells for today (its product loaded with it)."""
        return self.price if self.price is not None else self.product.base_price


class StockReason(models.TextChoices):
    INITIAL = "initial", _("Initial stock")
    CHECKOUT = "checkout", _("Checkout")
    CANCEL = "cancel", _("Order cancelled")
    EXPIRY = "expiry", _("Payment window expired")
    REINSTATED = "reinstated", _("Late payment reinstated the order")
    RESTOCK = "restock", _("Restock")
    COUNT = "count", _("Stock count")
    DAMAGED = "damaged", _("Damaged")
    RETURNED = "returned", _("Returned")
    OTHER = "other", _("Other")


# What staff may give as the reason of an adjustment; the rest are written by the shop itself.
ADJUSTMENT_REASONS = [
    StockReason.RESTOCK,
    StockReason.COUNT,
    StockReason.DAMAGED,
    StockReason.RETURNED,
    StockReason.OTHER,
]


class StockMovement(models.Model):
    """The stock ledger: one row for every change of a variant's stock, written in the same
    transaction, so that for every variant the sum of its deltas is its stock."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="movements", verbose_name=_("variant"))
    delta = models.IntegerField(verbose_name=_("change"))
    stock_after = models.PositiveIntegerField(verbose_name=_("stock after"))
    reason = models.CharField(max_length=12, choices=StockReason.choices, verbose_name=_("reason"))
    # Orders sit above products: the order's id, not a foreign key.
    order_id = models.UUIDField(null=True, blank=True, verbose_name=_("order"))
    actor = actor_field()
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["variant", "-created_at"], name="stock_movement_variant_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0) | Q(reason="initial"), name="stock_movement_changes_stock"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} {self.delta:+d} ({self.reason})"


class RenditionStatus(models.TextChoices):
    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ProductImage(TimeStampedModel):
    """A picture of the product in its gallery. `file` is the original (orientation applied,
    metadata stripped); the three WebP renditions stay empty until the task has made them,
    and `renditions` says where that stands."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product"))
    file = models.CharField(max_length=255, help_text=_("Storage name of the original."), verbose_name=_("file"))
    thumbnail = models.CharField(max_length=255, blank=True, verbose_name=_("thumbnail"))
    medium = models.CharField(max_length=255, blank=True, verbose_name=_("medium"))
    large = models.CharField(max_length=255, blank=True, verbose_name=_("large"))
    renditions = models.CharField(
        max_length=7,
        choices=RenditionStatus.choices,
        default=RenditionStatus.PENDING,
        editable=False,
        verbose_name=_("resized copies"),
    )
    width = models.PositiveIntegerField(verbose_name=_("width"))
    height = models.PositiveIntegerField(verbose_name=_("height"))
    alt = models.CharField(max_length=200, blank=True, verbose_name=_("alternative text"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["product", "position"], name="product_image_position_idx")]

    def __str__(self) -> str:
        return self.alt or self.file

    @property
    def stored_names(self) -> list[str]:
        return [name for name in (self.file, self.thumbnail, self.medium, self.large) if name]
