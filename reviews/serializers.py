from django.contrib.auth import get_user_model
from rest_framework import serializers

from ecommerce.common.serializers import AsciiIntegerField, InputSerializer
from products.models import Product
from reviews.models import Review


class ReviewUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]
        read_only_fields = fields


class ReviewOutputSerializer(serializers.ModelSerializer):
    user = ReviewUserSerializer(read_only=True)
    product = serializers.IntegerField(source="product_id", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "product", "user", "rating", "comment", "verified_purchase", "created_at", "updated_at"]
        read_only_fields = fields


class ReviewCreateInputSerializer(InputSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReviewUpdateInputSerializer(InputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReviewFilterSerializer(serializers.Serializer):
    product = AsciiIntegerField(required=False, min_value=1, max_value=2**63 - 1)
    rating = AsciiIntegerField(required=False, min_value=1, max_value=5)
