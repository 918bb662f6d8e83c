"""Product services, by concern: the catalog (products), variants and their options, and the
one stock service with its ledger."""

from products.services.catalog import (
    category_product_counts_refresh,
    product_create,
    product_delete,
    product_update,
)
from products.services.stock import (
    product_totals_refresh,
    shortage_line,
    stock_adjust,
    stock_initial,
    stock_release,
    stock_reserve,
)
from products.services.variants import (
    product_options_set,
    variant_create,
    variant_delete,
    variant_update,
)

__all__ = [
    "category_product_counts_refresh",
    "product_create",
    "product_delete",
    "product_options_set",
    "product_totals_refresh",
    "product_update",
    "shortage_line",
    "stock_adjust",
    "stock_initial",
    "stock_release",
    "stock_reserve",
    "variant_create",
    "variant_delete",
    "variant_update",
]
