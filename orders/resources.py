"""Orders as a spreadsheet: one row per order line, with the order's own figures beside it,
headed in the staff member's language."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from ecommerce.common.admin import SpreadsheetResource
from orders.models import OrderItem


class OrderLineResource(SpreadsheetResource):
    number = fields.Field(attribute="order__number", column_name=_("order"))
    # In local time, as every time people read (a plain field would write the UTC string).
    placed = fields.Field(attribute="order__created_at", column_name=_("placed at"), widget=widgets.DateTimeWidget())
    status = fields.Field(attribute="order__status", column_name=_("status"))
    payment_status = fields.Field(attribute="order__payment_status", column_name=_("payment"))
    email = fields.Field(attribute="order__user__email", column_name=_("customer e-mail"))
    customer = fields.Field(column_name=_("customer"))
    phone = fields.Field(column_name=_("phone"))
    city = fields.Field(column_name=_("city"))
    # Money is a number in the spreadsheet, not text (a model field gets its widget by itself).
    order_total = fields.Field(attribute="order__total", column_name=_("order total"), widget=widgets.DecimalWidget())
    discount = fields.Field(
        attribute="order__discount_amount", column_name=_("order discount"), widget=widgets.DecimalWidget()
    )
    coupon = fields.Field(attribute="order__coupon_code", column_name=_("coupon"))
    options = fields.Field(column_name=_("options"))

    class Meta:
        model = OrderItem
        fields = export_order = [
            "number",
            "placed",
            "status",
            "payment_status",
            "customer",
            "email",
            "phone",
            "city",
            "product_title",
            "sku",
            "options",
            "quantity",
            "unit_price",
            "line_total",
            "discount",
            "coupon",
            "order_total",
        ]

    def dehydrate_customer(self, line):
        return line.order.ship_to.full_name

    def dehydrate_phone(self, line):
        return line.order.ship_to.phone

    def dehydrate_city(self, line):
        return line.order.ship_to.city

    def dehydrate_options(self, line):
        return ", ".join(f"{name}: {value}" for name, value in line.variant_options.items())
