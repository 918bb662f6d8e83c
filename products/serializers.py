from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from categories.models import Category
from ecommerce.common.serializers import ChoiceField, ContextualField, FastRepresentation, InputSerializer
from ecommerce.common.translations import (
    ONE_PER_VALUE,
    TranslatedCharField,
    TranslatedListField,
    TranslationsField,
    answer_language,
    translated,
    translations_check,
)
from products.exceptions import ImageInvalid
from products.models import (
    ADJUSTMENT_REASONS,
    MAX_STOCK,
    Currency,
    Product,
    ProductImage,
    RenditionStatus,
    StockMovement,
    Variant,
    option_key,
)


class ProductCategorySerializer(serializers.ModelSerializer):
    name = TranslatedCharField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class OptionOutputSerializer(serializers.Serializer):
    name = TranslatedCharField()
    values = TranslatedListField()


class OptionStaffOutputSerializer(OptionOutputSerializer):
    # A summary written before options had translations has none.
    translations = serializers.DictField(read_only=True, default=dict)


def options_translated(variant: Variant, language: str) -> dict[str, str]:
    """A variant's options map ({name: value}, kept in the shop's language) in `language`: names
    and values translated through its product's option summary."""
    if language == settings.LANGUAGE_CODE:
        return variant.options
    translated_map = {}
    summary = {option["name"]: option for option in variant.product.option_summary}
    for name, value in variant.options.items():
        option = summary.get(name)
        if option is None:
            translated_map[name] = value
            continue
        values = translated(option, "values", language)
        position = option["values"].index(value) if value in option["values"] else None
        translated_map[translated(option, "name", language)] = value if position is None else values[position]
    return translated_map


class VariantOptionsField(ContextualField, serializers.DictField):
    """{option name: value} in the request's language (written in the shop's)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, child=serializers.CharField(), **kwargs)

    def represent(self, variant, context):
        return options_translated(variant, answer_language(context))


# The catalog's output serializers answer through a plan (see ecommerce.common.serializers): a
# listing serializes hundreds of variants per request. tests/test_serializers.py holds the plan to
# DRF's generic output.
class VariantOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    options = VariantOptionsField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2, source="unit_price", read_only=True)
    in_stock = serializers.BooleanField(read_only=True)

    class Meta:
        model = Variant
        fields = ["id", "sku", "options", "price", "stock", "in_stock", "is_active"]
        read_only_fields = fields


def stored_file_url(name: str, request) -> str | None:
    """The address a stored file is served at, or None while it is not made: absolute, built
    from the request as DRF's pagination links are (a bucket's address already is)."""
    if not name:
        return None
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(OpenApiTypes.URI)
class StoredFileUrlField(ContextualField, serializers.CharField):
    """The absolute address a stored file is served at (MEDIA_URL, or the bucket); null while not made."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def represent(self, value, context):
        return stored_file_url(value, context.get("request"))


class ProductImageOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    url = StoredFileUrlField(source="file")
    thumbnail = StoredFileUrlField(allow_null=True, help_text="WebP, longest side 200 px; null until made.")
    medium = StoredFileUrlField(allow_null=True, help_text="WebP, longest side 600 px; null until made.")
    large = StoredFileUrlField(allow_null=True, help_text="WebP, longest side 1200 px; null until made.")
    renditions = serializers.ChoiceField(
        choices=RenditionStatus.choices,
        read_only=True,
        help_text="pending: thumbnail, medium and large are being made (null until then); ready: made; "
        "failed: they could not be made, the original (url) stands in.",
    )

    class Meta:
        model = ProductImage
        fields = ["id", "url", "alt", "width", "height", "position", "thumbnail", "medium", "large", "renditions"]
        read_only_fields = fields


@extend_schema_field(ProductImageOutputSerializer(allow_null=True))
class ProductFirstImageField(ContextualField, serializers.Field):
    """The product's first image or null, from its prefetched gallery (no query per product)."""

    def __init__(self, **kwargs):
        super().__init__(source="images", read_only=True, **kwargs)

    def represent(self, images, context):
        first = next(iter(images.all()), None)
        return None if first is None else ProductImageOutputSerializer.represent(first, context)


class ProductOutputSerializer(FastRepresentation, serializers.ModelSerializer):
    title = TranslatedCharField()
    description = TranslatedCharField()
    category = ProductCategorySerializer(read_only=True)
    in_stock = serializers.BooleanField(read_only=True)
    options = OptionOutputSerializer(many=True, read_only=True, source="option_summary")
    variants = VariantOutputSerializer(many=True, read_only=True)
    image = ProductFirstImageField()

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "price",
            "price_max",
            "currency",
            "category",
            "stock",
            "in_stock",
            "is_active",
            "rating_avg",
            "review_count",
            "image",
            "options",
            "variants",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProductDetailOutputSerializer(ProductOutputSerializer):
    """One product: the listing's fields and its whole gallery."""

    images = ProductImageOutputSerializer(many=True, read_only=True)

    class Meta(ProductOutputSerializer.Meta):
        fields = [*ProductOutputSerializer.Meta.fields[:-4], "images", *ProductOutputSerializer.Meta.fields[-4:]]
        read_only_fields = fields


class _StaffTranslations(serializers.Serializer):
    """What staff read besides the public fields: the translations they write, the options' too."""

    options = OptionStaffOutputSerializer(many=True, read_only=True, source="option_summary")
    translations = serializers.DictField(read_only=True)


class ProductListStaffOutputSerializer(_StaffTranslations, ProductOutputSerializer):
    class Meta(ProductOutputSerializer.Meta):
        fields = [*ProductOutputSerializer.Meta.fields, "translations"]
        read_only_fields = fields


class ProductStaffOutputSerializer(_StaffTranslations, ProductDetailOutputSerializer):
    """A product as staff read it: every field, plus the translations they write."""

    class Meta(ProductDetailOutputSerializer.Meta):
        fields = [*ProductDetailOutputSerializer.Meta.fields, "translations"]
        read_only_fields = fields


class OptionTranslationInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    values = serializers.ListField(child=serializers.CharField(max_length=50, allow_blank=True), required=False)


class OptionInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=50)
    values = serializers.ListField(child=serializers.CharField(max_length=50), min_length=1, max_length=50)
    translations = TranslationsField(child=OptionTranslationInputSerializer())

    def validate(self, attrs):
        translations = attrs.get("translations", {})
        if any(len(fields.get("values", attrs["values"])) != len(attrs["values"]) for fields in translations.values()):
            raise serializers.ValidationError({"translations": [ONE_PER_VALUE]})
        try:
            translations_check(translations, plain=attrs)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs

    def validate_values(self, values):
        if len({option_key(value) for value in values}) != len(values):
            raise serializers.ValidationError(gettext("Each value once."))
        return values


class ProductTranslationInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class ProductInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=220, allow_unicode=True, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    currency = ChoiceField(choices=Currency.choices, required=False)
    category_id = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), source="category", help_text="Id of the category."
    )
    stock = serializers.IntegerField(
        min_value=0,
        max_value=MAX_STOCK,
        required=False,
        help_text="On creation only: the default variant's stock. Afterwards stock changes by adjustments.",
    )
    is_active = serializers.BooleanField(required=False)
    options = OptionInputSerializer(many=True, required=False, max_length=10)
    translations = TranslationsField(child=ProductTranslationInputSerializer())

    def validate_options(self, options):
        names = [option_key(option["name"]) for option in options]
        if len(set(names)) != len(names):
            raise serializers.ValidationError(gettext("Each option name once."))
        return options


class ProductFilterSerializer(serializers.Serializer):
    """Documents the catalog query parameters; ProductFilter validates them."""

    category__id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    category__slug = serializers.CharField(required=False)
    min_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    max_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    in_stock = serializers.BooleanField(required=False)
    search = serializers.CharField(required=False, help_text="Words in the title or description.")
    sku = serializers.CharField(required=False, help_text="A variant's SKU, any case.")
    option = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Name:Value, repeatable; one variant must have them all (option=Size:M&option=Colour:Red).",
    )
    ordering = ChoiceField(
        required=False,
        choices=["price", "-price", "created_at", "-created_at", "title", "-title", "rating_avg", "-rating_avg"],
    )


class VariantInputSerializer(InputSerializer):
    sku = serializers.CharField(max_length=64)
    options = serializers.DictField(child=serializers.CharField(max_length=50), required=False, default=dict)
    price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text="Empty or null: the product's price.",
    )
    stock = serializers.IntegerField(
        min_value=0, max_value=MAX_STOCK, required=False, default=0, help_text="On creation only."
    )
    is_active = serializers.BooleanField(required=False, default=True)
    low_stock_threshold = serializers.IntegerField(
        min_value=0, max_value=MAX_STOCK, required=False, allow_null=True, help_text="Empty: the shop's default."
    )


class VariantUpdateInputSerializer(VariantInputSerializer):
    """Any of the variant's fields; `stock` is refused (400 stock_read_only): adjust it instead."""

    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)


class StockAdjustInputSerializer(InputSerializer):
    delta = serializers.IntegerField(min_value=-MAX_STOCK, max_value=MAX_STOCK)
    reason = ChoiceField(choices=[str(reason) for reason in ADJUSTMENT_REASONS])

    def validate_delta(self, delta):
        if delta == 0:
            raise serializers.ValidationError(gettext("The change must not be zero."))
        return delta


class StockAdjustOutputSerializer(serializers.Serializer):
    stock = serializers.IntegerField()


class StockMovementOutputSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="variant.sku", read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = StockMovement
        fields = ["id", "variant_id", "sku", "delta", "stock_after", "reason", "order_id", "actor", "created_at"]
        read_only_fields = fields


NO_FILE = _("Send the picture in the multipart form field `file`.")


class ProductImageCreateInputSerializer(InputSerializer):
    file = serializers.FileField(
        required=False, allow_empty_file=True, help_text="JPEG, PNG or WebP, at most 10 MB and 40 megapixels."
    )
    alt = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)

    def validate(self, attrs):
        # Every refused upload answers with the same code, a missing file included.
        if "file" not in attrs:
            raise ImageInvalid(NO_FILE)
        return attrs


class ProductImageUpdateInputSerializer(InputSerializer):
    alt = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)
