"""The stock ledger as a spreadsheet, one row per movement, headed in the staff member's language."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from ecommerce.common.admin import SpreadsheetResource
from products.models import StockMovement


class StockMovementResource(SpreadsheetResource):
    sku = fields.Field(attribute="variant__sku", column_name=_("SKU"))
    product = fields.Field(attribute="variant__product__title", column_name=_("product"))
    actor = fields.Field(attribute="actor__username", column_name=_("by"))

    class Meta:
        model = StockMovement
        fields = export_order = ["created_at", "sku", "product", "delta", "stock_after", "reason", "order_id", "actor"]
