from dataclasses import fields

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from addresses.snapshots import ADDRESS_SNAPSHOT_FIELDS, AddressSnapshot
from ecommerce.common.serializers import AsciiIntegerField, ChoiceField, InputSerializer, money, timestamp
from orders.models import DeliveryKind, Order, OrderEvent, OrderItem, OrderStatus, PaymentMethod, PaymentStatus

# The order's copy of an address, one field per field of AddressSnapshot (a field with a default
# may be blank), so that its keys are named in one place.
AddressSnapshotSerializer = type(
    "AddressSnapshotSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "FIELDS": ADDRESS_SNAPSHOT_FIELDS,
        **{field.name: serializers.CharField(allow_blank=field.default == "") for field in fields(AddressSnapshot)},
    },
)


# The order's output serializers build their dicts by hand, as the catalog's do (see
# ecommerce.common.serializers): every checkout answers with its order.
# tests/test_serializers.py holds both paths to the same output.
class OrderItemOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = [
            "product_id",
            "variant_id",
            "sku",
            "variant_options",
            "product_title",
            "unit_price",
            "quantity",
            "line_total",
        ]
        read_only_fields = fields

    def to_representation(self, item: OrderItem) -> dict:
        return {
            "product_id": item.product_id,
            "variant_id": item.variant_id,
            "sku": item.sku,
            "variant_options": item.variant_options,
            "product_title": item.product_title,
            "unit_price": money(item.unit_price),
            "quantity": item.quantity,
            "line_total": money(item.line_total),
        }


class OrderEventOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        fields = ["type", "status", "payment_status", "note", "created_at"]
        read_only_fields = fields

    def to_representation(self, event: OrderEvent) -> dict:
        return {
            "type": event.type,
            "status": event.status,
            "payment_status": event.payment_status,
            "note": event.note,
            "created_at": timestamp(event.created_at),
        }


class OrderDeliveryOutputSerializer(serializers.Serializer):
    method = serializers.CharField(help_text="The delivery method's code.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=DeliveryKind.choices)
    fee = serializers.DecimalField(max_digits=12, decimal_places=2)


class TrackingSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=100)
    number = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")


class OrderOutputSerializer(serializers.ModelSerializer):
    items = OrderItemOutputSerializer(many=True, read_only=True)
    delivery = serializers.SerializerMethodField()
    tracking = TrackingSerializer(read_only=True, allow_null=True)
    events = OrderEventOutputSerializer(many=True, read_only=True)
    shipping_address = AddressSnapshotSerializer(read_only=True)
    billing_address = AddressSnapshotSerializer(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "status",
            "payment_status",
            "payment_method",
            "items",
            "subtotal",
            "discount_amount",
            "delivery",
            "delivery_fee",
            "total",
            "vat_amount",
            "currency",
            "coupon_code",
            "shipping_address",
            "billing_address",
            "tracking",
            "notes",
            "expires_at",
            "created_at",
            "updated_at",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(OrderDeliveryOutputSerializer(allow_null=True))
    def get_delivery(self, order: Order) -> dict | None:
        choice = order.delivery_choice
        return None if choice is None else {**choice.as_dict(), "fee": money(order.delivery_fee)}

    def to_representation(self, order: Order) -> dict:
        return {
            "id": str(order.pk),
            "number": order.number,
            "status": order.status,
            "payment_status": order.payment_status,
            "payment_method": order.payment_method,
            "items": [_ITEM.to_representation(item) for item in order.item_list],
            "subtotal": money(order.subtotal),
            "discount_amount": money(order.discount_amount),
            "delivery": self.get_delivery(order),
            "delivery_fee": money(order.delivery_fee),
            "total": money(order.total),
            "vat_amount": money(order.vat_amount),
            "currency": order.currency,
            "coupon_code": order.coupon_code,
            "shipping_address": _address(order.shipping_address),
            "billing_address": _address(order.billing_address),
            "tracking": _tracking(order.tracking),
            "notes": order.notes,
            "expires_at": timestamp(order.expires_at),
            "created_at": timestamp(order.created_at),
            "updated_at": timestamp(order.updated_at),
            "events": [_EVENT.to_representation(event) for event in order.event_list],
        }


_ITEM = OrderItemOutputSerializer()
_EVENT = OrderEventOutputSerializer()


def _text_fields(values: dict | None, names) -> dict | None:
    """A JSON snapshot as DRF's read-only CharFields show it: missing keys left out."""
    if values is None:
        return None
    return {name: None if values[name] is None else str(values[name]) for name in names if name in values}


def _address(snapshot: dict | None) -> dict | None:
    return _text_fields(snapshot, AddressSnapshotSerializer.FIELDS)


def _tracking(tracking: dict | None) -> dict | None:
    return None if tracking is None else _text_fields({"url": "", **tracking}, ("carrier", "number", "url"))


class OrderCreateInputSerializer(InputSerializer):
    shipping_address_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    billing_address_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    delivery_method = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text="A code from delivery/options/; required once the shop has any delivery method.",
    )
    payment_method = ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.CHAPA)
    coupon_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class OrderStatusUpdateInputSerializer(InputSerializer):
    status = ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    tracking = TrackingSerializer(required=False, allow_null=True, help_text="Only when moving to shipped.")


class OrderCancelInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OrderListFilterSerializer(serializers.Serializer):
    status = ChoiceField(choices=OrderStatus.choices, required=False)
    payment_status = ChoiceField(choices=PaymentStatus.choices, required=False)


class DeliveryOptionFilterSerializer(serializers.Serializer):
    address_id = AsciiIntegerField(min_value=1, max_value=2**63 - 1)


class DeliveryOptionOutputSerializer(serializers.Serializer):
    code = serializers.CharField(source="method.code")
    name = serializers.CharField(source="method.name")
    kind = serializers.ChoiceField(source="method.kind", choices=DeliveryKind.choices)
    fee = serializers.DecimalField(source="method.fee", max_digits=12, decimal_places=2)
    free_over = serializers.DecimalField(source="method.free_over", max_digits=12, decimal_places=2, allow_null=True)
    fee_for_cart = serializers.DecimalField(max_digits=12, decimal_places=2)
    estimated_days_min = serializers.IntegerField(source="method.estimated_days_min")
    estimated_days_max = serializers.IntegerField(source="method.estimated_days_max")
    cash_on_delivery = serializers.BooleanField(source="method.cash_on_delivery")
