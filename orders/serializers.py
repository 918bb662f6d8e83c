from dataclasses import fields

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from addresses.snapshots import AddressSnapshot
from ecommerce.common.serializers import AsciiIntegerField, ChoiceField, FastRepresentation, InputSerializer
from ecommerce.common.translations import TranslatedCharField
from ecommerce.common.validators import tin_validator
from orders.models import (
    DeliveryKind,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    Return,
    ReturnCondition,
    ReturnEvent,
    ReturnLine,
    ReturnReason,
    ReturnStatus,
)

# The order's copy of an address, one field per field of AddressSnapshot (a field with a default
# may be blank), so that its keys are named in one place.
AddressSnapshotSerializer = type(
    "AddressSnapshotSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        **{field.name: serializers.CharField(allow_blank=field.default == "") for field in fields(AddressSnapshot)},
    },
)


# The order's output serializers answer through a plan, as the catalog's do (see
# ecommerce.common.serializers): every checkout answers with its order.
# tests/test_serializers.py holds the plan to DRF's generic output.
class OrderItemOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = [
            "id",
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


class OrderEventOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        fields = ["type", "status", "payment_status", "note", "created_at"]
        read_only_fields = fields


class OrderDeliveryOutputSerializer(FastRepresentation, serializers.Serializer):
    method = serializers.CharField(help_text="The delivery method's code.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=DeliveryKind.choices)
    fee = serializers.DecimalField(max_digits=12, decimal_places=2)


class TrackingSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=100)
    number = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")


class OrderReturnOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Return
        fields = ["id", "number", "status"]
        read_only_fields = fields


# The delivery copied onto the order, with its fee; null when free delivery needed no method.
class _WithDelivery(serializers.Serializer):
    delivery = serializers.SerializerMethodField()

    @extend_schema_field(OrderDeliveryOutputSerializer(allow_null=True))
    def get_delivery(self, order: Order) -> dict | None:
        choice = order.delivery_choice
        if choice is None:
            return None
        return OrderDeliveryOutputSerializer.represent({**choice.as_dict(), "fee": order.delivery_fee}, {})


class OrderOutputSerializer(FastRepresentation, _WithDelivery, serializers.ModelSerializer):
    # The lines, events and returns as the order selectors and checkout give them (prefetched lists).
    items = OrderItemOutputSerializer(many=True, read_only=True, source="item_list")
    returns = OrderReturnOutputSerializer(many=True, read_only=True, source="return_list")
    tracking = TrackingSerializer(read_only=True, allow_null=True)
    events = OrderEventOutputSerializer(many=True, read_only=True, source="event_list")
    shipping_address = AddressSnapshotSerializer(read_only=True)
    billing_address = AddressSnapshotSerializer(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "receipt_number",
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
            "refunded_amount",
            "currency",
            "coupon_code",
            "shipping_address",
            "billing_address",
            "buyer_tin",
            "tracking",
            "notes",
            "expires_at",
            "created_at",
            "updated_at",
            "events",
            "returns",
        ]
        read_only_fields = fields


class OrderTrackEventOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        fields = ["type", "status", "created_at"]
        read_only_fields = fields


# What anyone with the number and the shipping phone may read: how the order is going, and
# nothing about who it is for (no names, addresses, lines or notes).
class OrderTrackOutputSerializer(_WithDelivery, serializers.ModelSerializer):
    tracking = TrackingSerializer(read_only=True, allow_null=True)
    events = OrderTrackEventOutputSerializer(many=True, read_only=True, source="event_list")

    class Meta:
        model = Order
        fields = ["number", "status", "payment_status", "total", "delivery", "tracking", "events"]
        read_only_fields = fields


class OrderTrackFilterSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=32, help_text="The order number, e.g. 7KQ2M9XD.")
    phone = serializers.CharField(
        max_length=32, help_text="The order's shipping phone, in any usual form (0911 23 45 67, +251911234567)."
    )


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
    buyer_tin = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[tin_validator],
        help_text="A business customer's TIN (ten digits), printed on the receipt.",
    )


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
    name = TranslatedCharField(source="method")
    kind = serializers.ChoiceField(source="method.kind", choices=DeliveryKind.choices)
    fee = serializers.DecimalField(source="method.fee", max_digits=12, decimal_places=2)
    free_over = serializers.DecimalField(source="method.free_over", max_digits=12, decimal_places=2, allow_null=True)
    fee_for_cart = serializers.DecimalField(max_digits=12, decimal_places=2)
    estimated_days_min = serializers.IntegerField(source="method.estimated_days_min")
    estimated_days_max = serializers.IntegerField(source="method.estimated_days_max")
    cash_on_delivery = serializers.BooleanField(source="method.cash_on_delivery")


class ReturnLineOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    sku = serializers.CharField(source="order_item.sku")
    product_title = serializers.CharField(source="order_item.product_title")

    class Meta:
        model = ReturnLine
        fields = ["order_item_id", "sku", "product_title", "quantity", "reason", "condition", "refund_amount"]
        read_only_fields = fields


class ReturnEventOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    class Meta:
        model = ReturnEvent
        fields = ["type", "status", "note", "created_at"]
        read_only_fields = fields


class ReturnOutputSerializer(serializers.ModelSerializer):
    lines = ReturnLineOutputSerializer(many=True, read_only=True)
    events = ReturnEventOutputSerializer(many=True, read_only=True)
    credit_note_number = serializers.SerializerMethodField()

    class Meta:
        model = Return
        fields = [
            "id",
            "number",
            "order_id",
            "status",
            "lines",
            "refund_amount",
            "delivery_refund",
            "note",
            "credit_note_number",
            "created_at",
            "updated_at",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_credit_note_number(self, ret: Return) -> str | None:
        # Read through the reverse relation: the refund rows are the payments app's.
        done = [refund for refund in ret.refunds.all() if refund.credit_note_number]
        return done[0].credit_note_number if done else None


class ReturnLineInputSerializer(InputSerializer):
    order_item_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)
    reason = ChoiceField(choices=ReturnReason.choices)


class ReturnCreateInputSerializer(InputSerializer):
    lines = ReturnLineInputSerializer(many=True, allow_empty=False, max_length=100)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReturnRejectInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=1000)


class ReturnApproveInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReturnReceiveLineInputSerializer(InputSerializer):
    order_item_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    condition = ChoiceField(choices=ReturnCondition.choices)


class ReturnReceiveInputSerializer(InputSerializer):
    lines = ReturnReceiveLineInputSerializer(many=True, allow_empty=False, max_length=100)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReturnListFilterSerializer(serializers.Serializer):
    status = ChoiceField(choices=ReturnStatus.choices, required=False)
