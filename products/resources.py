"""The stock ledger as a spreadsheet, one row per movement."""

from import_export import fields, resources

from products.models import StockMovement


class StockMovementResource(resources.ModelResource):
    sku = fields.Field(attribute="variant__sku", column_name="sku")
    product = fields.Field(attribute="variant__product__title", column_name="product")
    actor = fields.Field(attribute="actor__username", column_name="by")

    class Meta:
        model = StockMovement
        fields = export_order = ["created_at", "sku", "product", "delta", "stock_after", "reason", "order_id", "actor"]
