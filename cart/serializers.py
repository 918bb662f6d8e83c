from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cart.models import CartItem
from cart.selectors import CartContents
from ecommerce.common.serializers import InputSerializer, money, timestamp
from products.models import Product
from products.serializers import ProductFirstImageField, VariantOutputSerializer, first_image_representation

MAX_QUANTITY = 10_000
ONE_OF = _("Give variant_id (or product_id for a product sold in one variant).")


# Built by hand, as the catalog's are (see ecommerce.common.serializers): the cart answers every
# add on the way to checkout. tests/test_serializers.py holds both paths to the same output.
class CartProductSerializer(serializers.ModelSerializer):
    in_stock = serializers.BooleanField(read_only=True)
    image = ProductFirstImageField()

    class Meta:
        model = Product
        fields = ["id", "title", "slug", "price", "stock", "in_stock", "image"]
        read_only_fields = fields

    def to_representation(self, product: Product) -> dict:
        return self.represent(product, request=self.context.get("request"))

    @staticmethod
    def represent(product: Product, *, request) -> dict:
        # The request (for the image's absolute addresses) is passed down, not read from a
        # nested serializer's context: building nested fields per answer costs a millisecond.
        return {
            "id": product.pk,
            "title": product.title,
            "slug": product.slug,
            "price": money(product.price),
            "stock": product.stock,
            "in_stock": product.in_stock,
            "image": first_image_representation(product.images, request),
        }


class CartItemOutputSerializer(serializers.ModelSerializer):
    product = CartProductSerializer(source="variant.product", read_only=True)
    variant = VariantOutputSerializer(read_only=True)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    # Unbounded: a cart that grew past MAX_ORDER_TOTAL through a later price rise still shows.
    line_total = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)

    class Meta:
        model = CartItem
        fields = ["id", "product", "variant", "quantity", "unit_price", "line_total"]
        read_only_fields = fields

    def to_representation(self, item: CartItem) -> dict:
        return self.represent(item, request=self.context.get("request"))

    @staticmethod
    def represent(item: CartItem, *, request) -> dict:
        return {
            "id": item.pk,
            "product": CartProductSerializer.represent(item.variant.product, request=request),
            "variant": _VARIANT.to_representation(item.variant),
            "quantity": item.quantity,
            "unit_price": money(item.unit_price),
            "line_total": money(item.line_total),
        }


class CartOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    items = CartItemOutputSerializer(many=True)
    total_items = serializers.IntegerField()
    subtotal = serializers.DecimalField(max_digits=None, decimal_places=2)
    updated_at = serializers.DateTimeField()

    def to_representation(self, contents: CartContents) -> dict:
        return {
            "id": contents.id,
            "items": [
                CartItemOutputSerializer.represent(item, request=self.context.get("request")) for item in contents.items
            ],
            "total_items": contents.total_items,
            "subtotal": money(contents.subtotal),
            "updated_at": timestamp(contents.updated_at),
        }


_VARIANT = VariantOutputSerializer()


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
