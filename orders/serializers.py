from rest_framework import serializers

from ecommerce.common.serializers import InputSerializer
from orders.models import Order, OrderEvent, OrderItem, OrderStatus, PaymentStatus


class AddressSnapshotSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    phone = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField(allow_blank=True)
    city = serializers.CharField()
    region = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    country = serializers.CharField()


class OrderItemOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["product_id", "product_title", "unit_price", "quantity", "line_total"]
        read_only_fields = fields


class OrderEventOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        fields = ["type", "status", "payment_status", "note", "created_at"]
        read_only_fields = fields


class OrderOutputSerializer(serializers.ModelSerializer):
    items = OrderItemOutputSerializer(many=True, read_only=True)
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
            "items",
            "subtotal",
            "discount_amount",
            "total",
            "currency",
            "coupon_code",
            "shipping_address",
            "billing_address",
            "notes",
            "expires_at",
            "created_at",
            "updated_at",
            "events",
        ]
        read_only_fields = fields


class OrderCreateInputSerializer(InputSerializer):
    shipping_address_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    billing_address_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    coupon_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class OrderStatusUpdateInputSerializer(InputSerializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OrderCancelInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OrderListFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices, required=False)
