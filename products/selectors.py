from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from products.filters import ProductFilter
from products.models import Product


def _visible_products(*, include_inactive: bool) -> QuerySet[Product]:
    qs = Product.objects.select_related("category")
    return qs if include_inactive else qs.filter(is_active=True)


def product_list(*, filters: dict | None = None, include_inactive: bool = False) -> QuerySet[Product]:
    """Products matching the catalog query parameters. Bad parameter values raise ValidationError."""
    filterset = ProductFilter(filters or {}, queryset=_visible_products(include_inactive=include_inactive))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def product_get(*, pk: int, include_inactive: bool = False) -> Product:
    return _visible_products(include_inactive=include_inactive).get(pk=pk)
