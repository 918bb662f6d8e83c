from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from categories.models import Category
from ecommerce.common.services import model_update, unique_race_as_validation_error
from ecommerce.common.slugs import unique_slug
from products.exceptions import StockReadOnly
from products.models import Currency, Product
from products.services.stock import product_totals_refresh
from products.services.variants import STOCK_READ_ONLY, product_options_set, variant_create

PRODUCT_FIELDS = ["title", "slug", "description", "base_price", "currency", "category", "is_active"]
STOCK_WITH_OPTIONS = "A product with options keeps its stock on its variants: give each variant its stock."


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
    options: list[dict] | None = None,
    actor=None,
) -> Product:
    """A product for sale. Without options it is sold as one default variant holding `stock`;
    with options, staff add a variant per combination they sell."""
    if options and stock:
        raise ValidationError({"stock": [STOCK_WITH_OPTIONS]})
    product = Product(
        title=title,
        description=description,
        base_price=price,
        price=price,
        price_max=price,
        currency=currency,
        category=category,
        is_active=is_active,
    )
    product.slug = slug or unique_slug(model=Product, value=title, fallback="product")
    product.full_clean()
    with unique_race_as_validation_error(product):
        product.save()
    if options:
        product_options_set(product=product, options=options)
    else:
        variant_create(product=product, sku=f"SKU-{product.pk}", stock=stock, actor=actor)
    product.refresh_from_db()
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict) -> Product:
    if "stock" in data:
        raise StockReadOnly(STOCK_READ_ONLY)
    data = dict(data)
    if "price" in data:
        data["base_price"] = data.pop("price")
    if "options" in data:
        product_options_set(product=product, options=data.pop("options"))
    if "slug" in data and not data["slug"]:
        data["slug"] = unique_slug(
            model=Product, value=data.get("title", product.title), exclude_pk=product.pk, fallback="product"
        )
    with unique_race_as_validation_error(product):
        model_update(instance=product, fields=PRODUCT_FIELDS, data=data)
    if "base_price" in data:
        product_totals_refresh(product_id=product.pk)
    product.refresh_from_db()
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    product.delete()
