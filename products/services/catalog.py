from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from categories.lock_objects import category_lock_many
from categories.models import Category
from ecommerce.common.cache import catalog_changed
from ecommerce.common.services import model_update, unique_race_as_validation_error
from ecommerce.common.slugs import unique_slug
from ecommerce.common.translations import translations_merge
from products.exceptions import StockReadOnly
from products.models import Currency, Product, product_search_text
from products.services.stock import product_totals_refresh
from products.services.variants import STOCK_READ_ONLY, product_options_set, variant_create

PRODUCT_FIELDS = ["title", "slug", "description", "base_price", "currency", "category", "is_active", "translations"]
TRANSLATED_FIELDS = ["title", "description"]
STOCK_WITH_OPTIONS = _("A product with options keeps its stock on its variants: give each variant its stock.")


def category_product_counts_refresh(*, category_ids) -> None:
    """Recount the active products of these categories (Category.product_count). The rows are
    locked first and counted by a later statement, whose fresh snapshot (READ COMMITTED) sees
    every product a concurrent transaction committed while this one waited for the lock."""
    ids = category_lock_many(ids=category_ids)
    active = (
        Product.objects.filter(category=OuterRef("pk"), is_active=True)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Category.objects.filter(pk__in=ids).update(product_count=Coalesce(Subquery(active), Value(0)))
    catalog_changed()  # a queryset update sends no signal; the category list shows the counts


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
    translations: dict | None = None,
    actor=None,
) -> Product:
    """A product for sale. Without options it is sold as one default variant holding `stock`;
    with options, staff add a variant per combination they sell."""
    if options and stock:
        raise ValidationError({"stock": [STOCK_WITH_OPTIONS]})
    translations = translations_merge({}, translations or {}, plain={"title": title, "description": description})
    product = Product(
        title=title,
        description=description,
        base_price=price,
        price=price,
        price_max=price,
        currency=currency,
        category=category,
        is_active=is_active,
        translations=translations,
        search_text=product_search_text(title=title, description=description, translations=translations),
    )
    product.slug = slug or unique_slug(model=Product, value=title, fallback="product")
    product.full_clean()
    with unique_race_as_validation_error(product):
        product.save()
    if options:
        product_options_set(product=product, options=options)
    else:
        variant_create(product=product, sku=f"SKU-{product.pk}", stock=stock, actor=actor)
    if is_active:
        category_product_counts_refresh(category_ids=[category.pk])
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
    plain = {field: data.get(field, getattr(product, field)) for field in TRANSLATED_FIELDS}
    if "translations" in data:
        data["translations"] = translations_merge(product.translations, data["translations"], plain=plain)
    if {"title", "description", "translations"} & set(data):
        data["search_text"] = product_search_text(**plain, translations=data.get("translations", product.translations))
    counted_before = (product.category_id, product.is_active)
    with unique_race_as_validation_error(product):
        model_update(instance=product, fields=[*PRODUCT_FIELDS, "search_text"], data=data)
    if (product.category_id, product.is_active) != counted_before:
        category_product_counts_refresh(category_ids=[counted_before[0], product.category_id])
    if "base_price" in data:
        product_totals_refresh(product_id=product.pk)
    product.refresh_from_db()
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    category_id = product.category_id
    product.delete()
    category_product_counts_refresh(category_ids=[category_id])
