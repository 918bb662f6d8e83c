from rest_framework import serializers

from categories.models import Category
from ecommerce.common.serializers import FastRepresentation, InputSerializer
from ecommerce.common.translations import TranslatedCharField, TranslationsField


# Answered through a plan, as the catalog's are (see ecommerce.common.serializers);
# tests/test_serializers.py holds the plan to DRF's generic output.
class CategoryOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    name = TranslatedCharField()
    description = TranslatedCharField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "product_count"]
        read_only_fields = fields


class CategoryStaffOutputSerializer(CategoryOutputSerializer):
    """A category as staff read it, with the translations they write."""

    translations = serializers.DictField(read_only=True)

    class Meta(CategoryOutputSerializer.Meta):
        fields = [*CategoryOutputSerializer.Meta.fields, "translations"]
        read_only_fields = fields


class CategoryTranslationInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class CategoryInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=140, allow_unicode=True, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    translations = TranslationsField(child=CategoryTranslationInputSerializer())
