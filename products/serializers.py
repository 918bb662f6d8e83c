from decimal import Decimal

from rest_framework import serializers

from categories.models import Category
from ecommerce.common.serializers import InputSerializer
from products.models import Currency, Product

# The largest stock a PostgreSQL integer column holds.
MAX_STOCK = 2_147_483_647


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class ProductOutputSerializer(serializers.ModelSerializer):
    category = ProductCategorySerializer(read_only=True)
    in_stock = serializers.BooleanField(read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "price",
            "currency",
            "category",
            "stock",
            "in_stock",
            "is_active",
            "rating_avg",
            "review_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProductInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=220, allow_unicode=True, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    category_id = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), source="category", help_text="Id of the category."
    )
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)
    is_active = serializers.BooleanField(required=False)


class ProductFilterSerializer(serializers.Serializer):
    """Documents the catalog query parameters; ProductFilter validates them."""

    category__id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    category__slug = serializers.CharField(required=False)
    min_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    max_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    in_stock = serializers.BooleanField(required=False)
    search = serializers.CharField(required=False, help_text="Words in the title or description.")
    ordering = serializers.ChoiceField(
        required=False,
        choices=["price", "-price", "created_at", "-created_at", "title", "-title", "rating_avg", "-rating_avg"],
    )
