from decimal import Decimal

from rest_framework import serializers

from ecommerce.common.serializers import ChoiceField, InputSerializer
from orders.models import OrderStatus
from payments.models import Payment, PaymentMethod, PaymentState


class PaymentOutputSerializer(serializers.ModelSerializer):
    order_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "order_id",
            "tx_ref",
            "method",
            "amount",
            "currency",
            "status",
            "checkout_url",
            "created_at",
            "verified_at",
        ]
        read_only_fields = fields


class PaymentInitiateOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "tx_ref", "checkout_url", "amount", "currency", "status"]
        read_only_fields = fields


class PaymentInitiateInputSerializer(InputSerializer):
    order_id = serializers.UUIDField()


class PaymentVerifyOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=PaymentState.choices)
    order_id = serializers.UUIDField(required=False, help_text="Only for the order's customer and staff.")
    order_status = serializers.ChoiceField(
        choices=OrderStatus.choices, required=False, help_text="Only for the order's customer and staff."
    )


class WebhookOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="accepted, duplicate, ignored or unknown_payment")


class PaymentRecordInputSerializer(InputSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    method = ChoiceField(choices=[PaymentMethod.CASH, PaymentMethod.BANK_TRANSFER])
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReturnRefundInputSerializer(InputSerializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text="Less than the return's value if staff so decide; by default all of it.",
    )
    include_delivery = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    method = ChoiceField(
        choices=PaymentMethod.choices,
        required=False,
        help_text="How the money went back: required (cash or bank_transfer) for an order not paid through Chapa.",
    )
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
