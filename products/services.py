from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from categories.models import Category
from ecommerce.common.services import model_update, unique_race_as_validation_error
from ecommerce.common.slugs import unique_slug
from products.exceptions import InsufficientStock, StockReadOnly
from products.lock_objects import product_lock_many
from products.models import Currency, Product

PRODUCT_FIELDS = ["title", "slug", "description", "price", "currency", "category", "is_active"]
STOCK_READ_ONLY = "Stock cannot be set: adjust it by a delta with a reason (restock, count, damaged, returned, other)."


@transaction.atomic
def product_create(
    *,
    title: str,
    price: Decimal,
    category: Category,
    stock: int = 0,
    description: str = "",
    currency: str = Currency.ETB,
    is_active: bool = True,
    slug: str = "",
) -> Product:
    product = Product(
        title=title,
        description=description,
        price=price,
        currency=currency,
        category=category,
        stock=stock,
        is_active=is_active,
    )
    product.slug = slug or unique_slug(model=Product, value=title, fallback="product")
    product.full_clean()
    with unique_race_as_validation_error(product):
        product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict) -> Product:
    if "stock" in data:
        raise StockReadOnly(STOCK_READ_ONLY)
    data = dict(data)
    if "slug" in data and not data["slug"]:
        data["slug"] = unique_slug(
            model=Product, value=data.get("title", product.title), exclude_pk=product.pk, fallback="product"
        )
    with unique_race_as_validation_error(product):
        model_update(instance=product, fields=PRODUCT_FIELDS, data=data)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    product.delete()


def product_stock_reserve(*, quantities: dict[int, int]) -> dict[int, Product]:
    """Take `quantities` ({product_id: units}) out of stock, all or nothing.

    Locks the products in primary-key order, checks every line (a product that is gone or no
    longer for sale counts as having none), and only then decrements. The caller's
    transaction holds the locks until it commits.
    """
    products = product_lock_many(ids=quantities.keys())
    short = []
    for product_id, requested in sorted(quantities.items()):
        product = products.get(product_id)
        available = product.stock if product is not None and product.is_active else 0
        if requested > available:
            short.append(
                {
                    "product_id": product_id,
                    "title": product.title if product is not None else None,
                    "requested": requested,
                    "available": available,
                }
            )
    if short:
        raise InsufficientStock("Not enough stock for some items in your cart.", extra={"lines": short})
    for product_id, requested in quantities.items():
        # F() keeps the update relative; the CHECK (stock >= 0) constraint is the last line of defence.
        Product.objects.filter(pk=product_id).update(stock=F("stock") - requested, updated_at=timezone.now())
        products[product_id].stock -= requested
    return products


def product_stock_release(*, quantities: dict[int, int]) -> None:
    """Put reserved units back ({product_id: units}); products deleted since are skipped."""
    products = product_lock_many(ids=quantities.keys())
    for product_id, units in quantities.items():
        if product_id in products:
            Product.objects.filter(pk=product_id).update(stock=F("stock") + units, updated_at=timezone.now())


@transaction.atomic
def product_stock_adjust(*, product_id: int, delta: int) -> Product:
    """Staff change stock by `delta` units (never to a value read earlier, which would undo the
    checkouts made since): locked, checked, and refused as a whole when it would go below zero."""
    if not delta:
        raise ValidationError({"delta": ["The change must not be zero."]})
    product = product_lock_many(ids=[product_id]).get(product_id)
    if product is None:
        raise Product.DoesNotExist(f"No product {product_id}.")
    if product.stock + delta < 0:
        raise InsufficientStock(
            f"Only {product.stock} in stock: cannot take away {-delta}.",
            extra={"lines": [{"product_id": product_id, "requested": -delta, "available": product.stock}]},
        )
    Product.objects.filter(pk=product_id).update(stock=F("stock") + delta, updated_at=timezone.now())
    product.refresh_from_db()
    return product
