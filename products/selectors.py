from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Prefetch, QuerySet
from django.db.models.query import ModelIterable

from products.filters import ProductFilter
from products.models import Product, ProductImage, StockMovement, Variant


def _visible_products(*, include_inactive: bool) -> QuerySet[Product]:
    """Products with their category, options, variants and images in a fixed number of queries,
    however many are listed. The public sees active products and their active variants only."""
    variants = Variant.objects.order_by("pk")
    qs = Product.objects.select_related("category").prefetch_related(
        Prefetch("variants", queryset=variants if include_inactive else variants.filter(is_active=True)),
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk")),
    )
    return qs if include_inactive else qs.filter(is_active=True)


def _from_json(field):
    """How a column's value, as json_build_array gives it, becomes what the ORM would load."""
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else Decimal(value)
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else datetime.fromisoformat(value)
    return None


def _rows_sql(model, alias: str, where: str, order: str) -> tuple[str, list]:
    """A JSON array of the rows of `model` of product p (every column, numbers as text so that
    none passes through a float), and how to load each column."""
    fields = model._meta.concrete_fields
    columns = ", ".join(
        f"{alias}.{field.column}::text" if isinstance(field, models.DecimalField) else f"{alias}.{field.column}"
        for field in fields
    )
    sql = (
        f"(SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY {order}), '[]')"
        f" FROM {model._meta.db_table} {alias} WHERE {alias}.product_id = p.id{where})"
    )
    return sql, [(i, convert) for i, field in enumerate(fields) if (convert := _from_json(field)) is not None]


_VARIANTS = {active: _rows_sql(Variant, "v", " AND v.is_active" if active else "", "v.id") for active in (True, False)}
_IMAGES = _rows_sql(ProductImage, "i", "", "i.position, i.id")


def _loaded(model, rows, conversions, product, db: str) -> QuerySet:
    """The rows as the product's prefetched `model` set, each knowing its product."""
    instances = []
    cache_product = model.product.field.set_cached_value
    for row in rows:
        for i, convert in conversions:
            row[i] = convert(row[i])
        instance = model.from_db(db, None, row)
        cache_product(instance, product)
        instances.append(instance)
    prefetched = QuerySet(model=model)
    prefetched._result_cache, prefetched._prefetch_done = instances, True
    return prefetched


class _GalleryIterable(ModelIterable):
    """Products whose variants and images come, for the whole page, in one query of JSON arrays
    rather than Django's prefetch (a query for each relation, its per-row filters and caches).
    For showing only: the prefetched sets are the rows and nothing more, not querysets to
    filter further (product_get's products, which services change, keep Django's prefetch)."""

    active_variants_only = True

    def __iter__(self):
        products = list(super().__iter__())
        if not products:
            return iter(())
        db = self.queryset.db
        variants_sql, variant_conversions = _VARIANTS[self.active_variants_only]
        images_sql, image_conversions = _IMAGES
        with connections[db].cursor() as cursor:
            cursor.execute(
                f"SELECT p.id, {variants_sql}, {images_sql} FROM products_product p WHERE p.id = ANY(%s)",
                [[product.pk for product in products]],
            )
            galleries = {pk: (variants, images) for pk, variants, images in cursor.fetchall()}
        for product in products:
            variants, images = galleries[product.pk]
            product._prefetched_objects_cache = {
                "variants": _loaded(Variant, variants, variant_conversions, product, db),
                "images": _loaded(ProductImage, images, image_conversions, product, db),
            }
        return iter(products)


class _StaffGalleryIterable(_GalleryIterable):
    active_variants_only = False


def product_list(*, filters: dict | None = None, include_inactive: bool = False) -> QuerySet[Product]:
    """Products matching the catalog query parameters. Bad parameter values raise ValidationError."""
    products = Product.objects.select_related("category")
    # The page's gallery in one query of JSON arrays is PostgreSQL's SQL; elsewhere (the embedded
    # SQLite default) Django's prefetch does the same in two.
    if connections[products.db].vendor == "postgresql":
        if not include_inactive:
            products = products.filter(is_active=True)
        products._iterable_class = _StaffGalleryIterable if include_inactive else _GalleryIterable
    else:
        products = _visible_products(include_inactive=include_inactive)
    filterset = ProductFilter(filters or {}, queryset=products)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def product_get(*, pk: int, include_inactive: bool = False) -> Product:
    return _visible_products(include_inactive=include_inactive).get(pk=pk)


def variant_get(*, product_id: int, pk: int) -> Variant:
    """A variant of that product (staff); a variant of another product is Variant.DoesNotExist."""
    return Variant.objects.select_related("product").get(product_id=product_id, pk=pk)


def variant_map(*, ids) -> dict[int, Variant]:
    """Variants by id, with their products: read, not locked (checkout prices from these)."""
    return {variant.pk: variant for variant in Variant.objects.select_related("product").filter(pk__in=set(ids))}


def product_image_get(*, product_id: int, pk: int) -> ProductImage:
    """An image of that product (staff); an image of another product is ProductImage.DoesNotExist."""
    return ProductImage.objects.get(product_id=product_id, pk=pk)


def stock_movement_list(*, product_id: int) -> QuerySet[StockMovement]:
    """The product's stock ledger, newest first."""
    return (
        StockMovement.objects.filter(variant__product_id=product_id)
        .select_related("variant", "actor")
        .order_by("-created_at", "-pk")
    )
