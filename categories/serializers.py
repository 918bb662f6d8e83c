from rest_framework import serializers

from categories.models import Category
from ecommerce.common.serializers import InputSerializer


# Built by hand, as the catalog's are (see ecommerce.common.serializers); tests/test_serializers.py
# holds both paths to the same output.
class CategoryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "product_count"]
        read_only_fields = fields

    def to_representation(self, category: Category) -> dict:
        return {
            "id": category.pk,
            "name": category.name,
            "slug": category.slug,
            "description": category.description,
            "product_count": category.product_count,
        }


class CategoryInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=140, allow_unicode=True, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
