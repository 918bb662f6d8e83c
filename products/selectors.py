from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

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


def product_list(*, filters: dict | None = None, include_inactive: bool = False) -> QuerySet[Product]:
    """Products matching the catalog query parameters. Bad parameter values raise ValidationError."""
    filterset = ProductFilter(filters or {}, queryset=_visible_products(include_inactive=include_inactive))
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
