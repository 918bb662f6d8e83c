"""Product services, by concern: the catalog (products), variants and their options, the
one stock service with its ledger, and the image gallery."""

from products.services.catalog import (
    category_product_counts_refresh,
    product_create,
    product_delete,
    product_update,
)
from products.services.images import (
    product_image_create,
    product_image_delete,
    product_image_files_delete,
    product_image_renditions_failed,
    product_image_renditions_make,
    product_image_update,
)
from products.services.stock import (
    product_totals_refresh,
    shortage_line,
    stock_adjust,
    stock_check,
    stock_initial,
    stock_release,
    stock_reserve,
)
from products.services.variants import (
    product_option_translate,
    product_options_set,
    variant_create,
    variant_delete,
    variant_update,
)

__all__ = [
    "category_product_counts_refresh",
    "product_create",
    "product_delete",
    "product_image_create",
    "product_image_delete",
    "product_image_files_delete",
    "product_image_renditions_failed",
    "product_image_renditions_make",
    "product_image_update",
    "product_option_translate",
    "product_options_set",
    "product_totals_refresh",
    "product_update",
    "shortage_line",
    "stock_adjust",
    "stock_check",
    "stock_initial",
    "stock_release",
    "stock_reserve",
    "variant_create",
    "variant_delete",
    "variant_update",
]
