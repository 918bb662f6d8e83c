import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ecommerce.common.converters import MAX_ID
from ecommerce.common.filters import FilterSet, IntegerFilter, NumberFilter
from ecommerce.common.folding import fold
from ecommerce.common.translations import other_languages
from products.models import Product, Variant

OPTION_FORMAT = _("Write each option as Name:Value, e.g. option=Size:M.")

_BOOLEAN_CHOICES = [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]


class ProductOrderingFilter(django_filters.OrderingFilter):
    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            # A unique tiebreaker, so that equal prices never shuffle between pages.
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


class OptionField(forms.Field):
    """`option=Name:Value`, repeatable: a list of (name, value) pairs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        pairs = []
        for raw in value or []:
            name, _, chosen = str(raw).partition(":")
            if not (name.strip() and chosen.strip()) or len(raw) > 101:
                raise forms.ValidationError(OPTION_FORMAT)
            pairs.append((name.strip(), chosen.strip()))
        return pairs[:10]


class OptionFilter(django_filters.Filter):
    field_class = OptionField


def _in_any_language(path: str, field: str, text: str) -> Q:
    """The row at `path` whose `field` is `text` (any case) in the shop's language or a translation."""
    matches = Q(**{f"{path}__{field}__iexact": text})
    for language in other_languages():
        matches |= Q(**{f"{path}__translations__{language}__{field}__iexact": text})
    return matches


class ProductFilter(FilterSet):
    category__id = IntegerFilter(field_name="category_id", min_value=1, max_value=MAX_ID)
    category__slug = django_filters.CharFilter(field_name="category__slug", max_length=140)
    # A product sold at several prices matches when any of its prices is in the range.
    min_price = NumberFilter(field_name="price_max", lookup_expr="gte", min_value=0, max_digits=12, decimal_places=2)
    max_price = NumberFilter(field_name="price", lookup_expr="lte", min_value=0, max_digits=12, decimal_places=2)
    in_stock = django_filters.TypedChoiceFilter(
        choices=_BOOLEAN_CHOICES, coerce=lambda v: v in ("true", "1"), method="filter_in_stock"
    )
    search = django_filters.CharFilter(method="filter_search", max_length=200)
    sku = django_filters.CharFilter(method="filter_sku", max_length=64)
    option = OptionFilter(method="filter_option")
    ordering = ProductOrderingFilter(
        fields=["price", "created_at", "title", "rating_avg"],
    )

    class Meta:
        model = Product
        fields = []

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(stock__gt=0) if value else queryset.filter(stock=0)

    def filter_sku(self, queryset, name, value):
        return queryset.filter(variants__sku__iexact=value.strip(), variants__is_active=True)

    def filter_option(self, queryset, name, pairs):
        if not pairs:
            return queryset
        variants = Variant.objects.filter(product=OuterRef("pk"), is_active=True)
        for option, value in pairs:
            # One filter() per pair: each joins the values afresh, so one variant must have them all;
            # name and value in one call, so they are of the same value row.
            variants = variants.filter(
                _in_any_language("option_values__option", "name", option)
                & _in_any_language("option_values", "value", value)
            )
        return queryset.filter(Exists(variants))

    def filter_search(self, queryset, name, value):
        # Folded as the column is (Product.search_text): one spelling finds the others.
        value = fold(value)
        if not value:
            return queryset
        return queryset.filter(search_text__contains=value)
