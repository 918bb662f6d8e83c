from decimal import Decimal

from rest_framework import serializers

from coupons.error_codes import CouponReason
from coupons.models import Coupon, DiscountType
from ecommerce.common.permissions import staff_can_view
from ecommerce.common.serializers import ChoiceField, InputSerializer

MONEY = {"max_digits": 12, "decimal_places": 2}
STAFF_ONLY_FIELDS = ["id", "usage_limit", "per_user_limit", "times_used", "is_active", "created_at", "updated_at"]


class CouponOutputSerializer(serializers.ModelSerializer):
    """Customers get the public fields; staff also get the limits and usage (the schema marks
    those as optional for that reason)."""

    id = serializers.IntegerField(required=False)
    usage_limit = serializers.IntegerField(required=False, allow_null=True)
    per_user_limit = serializers.IntegerField(required=False, allow_null=True)
    times_used = serializers.IntegerField(required=False)
    is_active = serializers.BooleanField(required=False)
    created_at = serializers.DateTimeField(required=False)
    updated_at = serializers.DateTimeField(required=False)

    class Meta:
        model = Coupon
        fields = [
            "code",
            "description",
            "discount_type",
            "value",
            "min_purchase",
            "max_discount",
            "valid_from",
            "valid_to",
            *STAFF_ONLY_FIELDS,
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not (request and staff_can_view(request.user, Coupon)):
            for field in STAFF_ONLY_FIELDS:
                data.pop(field)
        return data


class CouponInputSerializer(InputSerializer):
    code = serializers.RegexField(r"^[A-Za-z0-9_-]{3,40}$", max_length=40, help_text="Letters, digits, - and _.")
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    discount_type = ChoiceField(choices=DiscountType.choices)
    value = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
    max_discount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"), required=False, allow_null=True)
    min_purchase = serializers.DecimalField(**MONEY, min_value=Decimal("0"), required=False)
    valid_from = serializers.DateTimeField()
    valid_to = serializers.DateTimeField()
    usage_limit = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False, allow_null=True)
    per_user_limit = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class CouponValidateInputSerializer(InputSerializer):
    code = serializers.CharField(max_length=40)
    subtotal = serializers.DecimalField(**MONEY, min_value=Decimal("0"))


class CouponValidateOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    code = serializers.CharField()
    discount_amount = serializers.DecimalField(**MONEY, required=False, help_text="When valid.")
    subtotal = serializers.DecimalField(**MONEY, required=False, help_text="When valid.")
    total = serializers.DecimalField(**MONEY, required=False, help_text="When valid.")
    reason = serializers.ChoiceField(
        choices=[r.value for r in CouponReason], required=False, help_text="When not valid."
    )
    detail = serializers.CharField(required=False, help_text="When not valid: the reason in words.")
