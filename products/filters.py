import django_filters
from django.db.models import Q

from ecommerce.common.filters import IntegerFilter, NumberFilter
from products.models import Product

MAX_ID = 2**63 - 1  # the largest primary key; beyond it a database would overflow
_BOOLEAN_CHOICES = [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]


class ProductOrderingFilter(django_filters.OrderingFilter):
    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            # A unique tiebreaker, so that equal prices never shuffle between pages.
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


class ProductFilter(django_filters.FilterSet):
    category__id = IntegerFilter(field_name="category_id", min_value=1, max_value=MAX_ID)
    category__slug = django_filters.CharFilter(field_name="category__slug", max_length=140)
    min_price = NumberFilter(field_name="price", lookup_expr="gte", min_value=0, max_digits=12, decimal_places=2)
    max_price = NumberFilter(field_name="price", lookup_expr="lte", min_value=0, max_digits=12, decimal_places=2)
    in_stock = django_filters.TypedChoiceFilter(
        choices=_BOOLEAN_CHOICES, coerce=lambda v: v in ("true", "1"), method="filter_in_stock"
    )
    search = django_filters.CharFilter(method="filter_search", max_length=200)
    ordering = ProductOrderingFilter(
        fields=["price", "created_at", "title", "rating_avg"],
    )

    class Meta:
        model = Product
        fields = []

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(stock__gt=0) if value else queryset.filter(stock=0)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
