"""The one stock service: every change of a variant's stock, by any path (checkout, cancel,
expiry, a late payment, a staff adjustment), goes through here and writes its ledger row in
the same transaction.

Locks are taken in one order everywhere: variants by primary key, then products by primary key
(for their maintained totals). Two paths that share rows wait for each other; none deadlocks.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.common.cache import catalog_changed
from products.emails import stock_low_email
from products.exceptions import InsufficientStock
from products.lock_objects import product_lock_many, variant_lock_many
from products.models import ADJUSTMENT_REASONS, MAX_STOCK, Product, StockMovement, StockReason, Variant

DELTA_ZERO = _("The change must not be zero.")
REASON_NOT_ADJUSTMENT = format_lazy(_("Give one of: {reasons}."), reasons=", ".join(ADJUSTMENT_REASONS))
STOCK_TOO_LARGE = _("Stock cannot go above {limit}: {sku} has {stock}.")
PRODUCT_STOCK_TOO_LARGE = _("A product holds at most {limit} units in all its variants.")


def shortage_line(*, variant_id: int, variant: Variant | None, requested: int, available: int) -> dict:
    """One line of an `insufficient_stock` answer, the same from the cart, checkout and staff."""
    return {
        "variant_id": variant_id,
        "sku": variant.sku if variant is not None else None,
        "product_id": variant.product_id if variant is not None else None,
        "title": variant.product.title if variant is not None else None,
        "requested": requested,
        "available": available,
    }


def _apply(variants: dict[int, Variant], deltas: dict[int, int], *, reason: str, order_id=None, actor=None) -> None:
    """Change locked variants' stock by `deltas`, write one ledger row each, and move their
    products' totals by what changed on active variants. These updates leave the cached catalog
    as it is: stock may lag there by the cache's TTL (RULES.md), and a checkout that emptied
    every cached answer would leave the catalog uncached while the shop sells."""
    now = timezone.now()
    movements, product_deltas, ran_low = [], defaultdict(int), []
    for variant_id, delta in sorted(deltas.items()):
        variant = variants[variant_id]
        # F() keeps the update relative; the CHECK (stock >= 0) constraint is the last line of defence.
        Variant.objects.filter(pk=variant_id).update(stock=F("stock") + delta, updated_at=now)
        if variant.is_active and variant.stock > variant.threshold >= variant.stock + delta:
            ran_low.append(variant)
        variant.stock += delta
        movements.append(
            StockMovement(
                variant_id=variant_id,
                delta=delta,
                stock_after=variant.stock,
                reason=reason,
                order_id=order_id,
                actor=actor,
            )
        )
        if variant.is_active:
            product_deltas[variant.product_id] += delta
    created = StockMovement.objects.bulk_create(movements)
    for product_id, delta in sorted(product_deltas.items()):
        if delta:
            Product.objects.filter(pk=product_id).update(stock=F("stock") + delta, updated_at=now)
    if ran_low:
        # Once, when a variant crosses its threshold: the checkouts after it send nothing more.
        stock_low_email(variants=ran_low, key=f"stock-low:{created[0].pk}")


def stock_check(*, variants: dict[int, Variant], quantities: dict[int, int]) -> None:
    """Refuse `quantities` ({variant_id: units}) that `variants` cannot supply, naming every line
    short: a variant that is gone or not for sale, or whose product is not, counts as having none."""
    short = []
    for variant_id, requested in sorted(quantities.items()):
        variant = variants.get(variant_id)
        for_sale = variant is not None and variant.is_active and variant.product.is_active
        available = variant.stock if for_sale else 0
        if requested > available:
            short.append(
                shortage_line(variant_id=variant_id, variant=variant, requested=requested, available=available)
            )
    if short:
        raise InsufficientStock(gettext("Not enough stock for some items in your cart."), extra={"lines": short})


def stock_reserve(*, quantities: dict[int, int], order_id, reason: str = StockReason.CHECKOUT) -> None:
    """Take `quantities` ({variant_id: units}) out of stock for an order, all or nothing.

    Locks the variants in primary-key order, checks every line on the locked rows, and only
    then takes the units. The caller's transaction holds the locks until it ends: callers do
    this last, so that buyers of the same item queue for as short a time as possible.
    """
    variants = variant_lock_many(ids=quantities.keys())
    stock_check(variants=variants, quantities=quantities)
    _apply(variants, {vid: -units for vid, units in quantities.items()}, reason=reason, order_id=order_id)


def stock_release(*, quantities: dict[int, int], order_id, reason: str) -> None:
    """Put an order's units back ({variant_id: units}); variants deleted since are skipped."""
    variants = variant_lock_many(ids=quantities.keys())
    _apply(
        variants,
        {vid: units for vid, units in quantities.items() if vid in variants and units},
        reason=reason,
        order_id=order_id,
    )


@transaction.atomic
def stock_adjust(*, variant_id: int, delta: int, reason: str, actor=None) -> Variant:
    """Staff change a variant's stock by `delta` units for a reason (never to a value read
    earlier, which would undo the checkouts made since); refused as a whole below zero."""
    if not delta:
        raise ValidationError({"delta": [DELTA_ZERO]})
    if reason not in ADJUSTMENT_REASONS:
        raise ValidationError({"reason": [REASON_NOT_ADJUSTMENT]})
    variants = variant_lock_many(ids=[variant_id])
    variant = variants.get(variant_id)
    if variant is None:
        raise Variant.DoesNotExist(f"No variant {variant_id}.")
    if variant.stock + delta < 0:
        raise InsufficientStock(
            gettext("Only {stock} of {sku} in stock: cannot take away {units}.").format(
                stock=variant.stock, sku=variant.sku, units=-delta
            ),
            extra={
                "lines": [
                    {"variant_id": variant_id, "sku": variant.sku, "requested": -delta, "available": variant.stock}
                ]
            },
        )
    # The columns' limit, checked rather than left to the database: PostgreSQL refuses the
    # UPDATE (a 500), SQLite stores the number, and either way the sum must stay countable.
    if variant.stock + delta > MAX_STOCK:
        raise ValidationError(
            {"delta": [STOCK_TOO_LARGE.format(limit=MAX_STOCK, sku=variant.sku, stock=variant.stock)]}
        )
    if variant.is_active and delta > 0:
        product = product_lock_many(ids=[variant.product_id])[variant.product_id]
        if product.stock + delta > MAX_STOCK:
            raise ValidationError({"delta": [PRODUCT_STOCK_TOO_LARGE.format(limit=MAX_STOCK)]})
    _apply(variants, {variant_id: delta}, reason=reason, actor=actor)
    # Unlike a checkout, a staff count or restock is rare and is checked on the shop at once.
    catalog_changed()
    return variant


def stock_initial(*, variant: Variant, actor=None) -> None:
    """The ledger's first row of a new variant: the stock it was created with."""
    StockMovement.objects.create(
        variant=variant, delta=variant.stock, stock_after=variant.stock, reason=StockReason.INITIAL, actor=actor
    )


def product_totals_refresh(*, product_id: int) -> None:
    """Recount a product's maintained totals (lowest and highest price, stock) from its active
    variants, after a variant was added, changed or removed or the product's price changed.
    Callers have taken the variant locks they need first; the product row is locked here."""
    product = product_lock_many(ids=[product_id])[product_id]
    effective = Coalesce("price", Value(product.base_price))
    totals = Variant.objects.filter(product_id=product_id, is_active=True).aggregate(
        low=Min(effective), high=Max(effective), stock=Sum("stock")
    )
    if (totals["stock"] or 0) > MAX_STOCK:
        raise ValidationError({"stock": [PRODUCT_STOCK_TOO_LARGE.format(limit=MAX_STOCK)]})
    Product.objects.filter(pk=product_id).update(
        price=totals["low"] if totals["low"] is not None else product.base_price,
        price_max=totals["high"] if totals["high"] is not None else product.base_price,
        stock=totals["stock"] or 0,
        updated_at=timezone.now(),
    )
    # A queryset update sends no signal: a variant's new price, or a size no longer sold, is
    # on the cached catalog's next read only through this.
    catalog_changed()
