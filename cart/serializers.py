from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cart.error_codes import MergeAdjustmentReason
from cart.models import CartItem
from ecommerce.common.serializers import ChoiceField, FastRepresentation, InputSerializer
from ecommerce.common.translations import TranslatedCharField
from products.models import Product
from products.serializers import ProductFirstImageField, VariantOutputSerializer

MAX_QUANTITY = 10_000
ONE_OF = _("Give variant_id (or product_id for a product sold in one variant).")


# Answered through a plan, as the catalog's are (see ecommerce.common.serializers): the cart answers
# every add on the way to checkout. tests/test_serializers.py holds the plan to DRF's generic output.
class CartProductSerializer(FastRepresentation, serializers.ModelSerializer):
    title = TranslatedCharField()
    in_stock = serializers.BooleanField(read_only=True)
    image = ProductFirstImageField()

    class Meta:
        model = Product
        fields = ["id", "title", "slug", "price", "stock", "in_stock", "image"]
        read_only_fields = fields


class CartItemOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    product = CartProductSerializer(source="variant.product", read_only=True)
    variant = VariantOutputSerializer(read_only=True)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    # Unbounded: a cart that grew past MAX_ORDER_TOTAL through a later price rise still shows.
    line_total = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)

    class Meta:
        model = CartItem
        fields = ["id", "product", "variant", "quantity", "unit_price", "line_total"]
        read_only_fields = fields


class CartOutputSerializer(FastRepresentation, serializers.Serializer):
    id = serializers.IntegerField()
    items = CartItemOutputSerializer(many=True)
    total_items = serializers.IntegerField()
    subtotal = serializers.DecimalField(max_digits=None, decimal_places=2)
    updated_at = serializers.DateTimeField()
    token = serializers.CharField(
        allow_null=True,
        help_text="A guest cart's token (also in the X-Cart-Token header): send it as X-Cart-Token "
        "to reach this cart again, and to merge/ after signing in. Null for a signed-in customer's cart.",
    )


class MergeAdjustmentOutputSerializer(FastRepresentation, serializers.Serializer):
    variant_id = serializers.IntegerField()
    requested = serializers.IntegerField(help_text="The customer's quantity and the guest cart's, summed.")
    kept = serializers.IntegerField(help_text="What the cart now holds of the variant (0: none).")
    reason = ChoiceField(choices=[(reason.value, reason.value) for reason in MergeAdjustmentReason])


class CartMergeOutputSerializer(CartOutputSerializer):
    adjustments = MergeAdjustmentOutputSerializer(
        many=True, help_text="The guest cart's lines the merge capped or dropped; empty when it took all of them."
    )


class CartItemAddInputSerializer(InputSerializer):
    variant_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    product_id = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="Only for a product sold in one variant."
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, default=1)

    def validate(self, attrs):
        if ("variant_id" in attrs) == ("product_id" in attrs):
            raise serializers.ValidationError(ONE_OF)
        return attrs


class CartItemUpdateInputSerializer(InputSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class CartMergeInputSerializer(InputSerializer):
    cart_token = serializers.CharField(max_length=200, help_text="The guest cart's token, as add/ gave it.")
