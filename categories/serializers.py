from rest_framework import serializers

from categories.models import Category
from ecommerce.common.serializers import FastRepresentation, InputSerializer


# Answered through a plan, as the catalog's are (see ecommerce.common.serializers);
# tests/test_serializers.py holds the plan to DRF's generic output.
class CategoryOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "product_count"]
        read_only_fields = fields


class CategoryInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=140, allow_unicode=True, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
