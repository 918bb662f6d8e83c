from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.common.admin import (
    LargeTableAdminMixin,
    ReadOnlyAdminMixin,
    ReadOnlyTabularInline,
    ServiceModelAdmin,
    StreamedExportMixin,
    error_message,
)
from ecommerce.common.display import options_display
from ecommerce.common.exceptions import ApplicationError
from ecommerce.common.folding import fold
from ecommerce.common.translations import (
    LANGUAGE_NAMES,
    beside_translations,
    other_languages,
    translation_field_name,
    translations_from_form,
    with_translations,
)
from ecommerce.common.validators import ASCII_INTEGER
from products.models import (
    ADJUSTMENT_REASONS,
    MAX_STOCK,
    Product,
    ProductImage,
    ProductOption,
    StockMovement,
    StockReason,
    Variant,
)
from products.resources import StockMovementResource
from products.services import (
    product_create,
    product_delete,
    product_image_create,
    product_image_delete,
    product_image_update,
    product_option_translate,
    product_update,
    stock_adjust,
    variant_create,
    variant_update,
)
from products.services.catalog import TRANSLATED_FIELDS


def _ledger_link(text: str, **filters) -> str:
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', reverse("admin:products_stockmovement_changelist"), query, text)


class ProductForm(forms.ModelForm):
    # A new product is one default variant holding this stock (the ledger's first row).
    initial_stock = forms.IntegerField(min_value=0, max_value=MAX_STOCK, initial=0, required=False, label=_("Stock"))

    class Meta:
        model = Product
        fields = ["title", "slug", "description", "category", "base_price", "currency", "is_active"]


class OptionInline(ReadOnlyTabularInline):
    """The options as they stand; their translations are edited on each option's own page."""

    model = ProductOption
    fields = ["name", "values_shown"]
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("Values"))
    def values_shown(self, option: ProductOption) -> str:
        return ", ".join(value.value for value in option.values.all()) or "-"


class VariantInline(ReadOnlyTabularInline):
    """Variants as they stand; each is edited on its own page and its stock only by adjustments."""

    model = Variant
    fields = ["sku", "option_values", "price", "stock", "is_active", "actions"]
    readonly_fields = fields
    show_change_link = True

    # Not named `options`: the model's JSON field of that name would be shown instead, as JSON.
    @admin.display(description=_("Options"))
    def option_values(self, variant: Variant) -> str:
        return options_display(variant.options) or "-"

    @admin.display(description="")
    def actions(self, variant: Variant) -> str:
        adjust = reverse("admin:products_variant_adjust_stock", args=[variant.pk])
        return format_html(
            '<a href="{}">{}</a> · {}',
            adjust,
            gettext("Adjust stock"),
            _ledger_link(gettext("Ledger"), variant__id__exact=variant.pk),
        )


class ProductImageForm(forms.ModelForm):
    upload = forms.FileField(
        required=False, label=_("Picture"), help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels.")
    )

    class Meta:
        model = ProductImage
        fields = ["alt", "position"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("upload"):
            raise ValidationError(gettext("Choose a picture to upload."))
        return cleaned


class ProductImageInline(admin.TabularInline):
    """The gallery: new pictures go through the image service (the API's checks and limits),
    saved by ProductAdmin.save_formset; alt text and position are edited in place."""

    model = ProductImage
    form = ProductImageForm
    fields = ["preview", "upload", "alt", "position"]
    readonly_fields = ["preview"]
    extra = 1
    ordering = ["position", "pk"]

    @admin.display(description=_("Preview"))
    def preview(self, image: ProductImage) -> str:
        if not image.pk:
            return "-"
        return format_html(
            '<img src="{}" alt="" style="max-height:80px">', default_storage.url(image.thumbnail or image.file)
        )


@admin.register(Product)
class ProductAdmin(ServiceModelAdmin):
    list_display = [
        "title",
        "category",
        "base_price",
        "price",
        "price_max",
        "stock",
        "is_active",
        "rating_avg",
        "review_count",
        "updated_at",
    ]
    list_filter = ["is_active", "category", "currency", "created_at"]
    # Never stock: a value typed over the one shown would undo the checkouts made meanwhile.
    list_editable = ["base_price", "is_active"]
    list_select_related = ["category"]
    # Besides these, the folded title and description in every language (get_search_results).
    search_fields = ["slug", "=variants__sku"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category"]
    list_per_page = 50
    inlines = [ProductImageInline, OptionInline, VariantInline]
    # Title and description each beside its translations ("Title (Amharic)").
    form = with_translations(ProductForm, TRANSLATED_FIELDS)

    def get_fields(self, request, obj=None):
        fields = beside_translations(
            ["title", "slug", "description", "category", "base_price", "currency", "is_active"], TRANSLATED_FIELDS
        )
        if obj is None:
            return [*fields, "initial_stock"]
        return [*fields, "price", "price_max", "stock", "ledger", "rating_avg", "review_count", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["price", "price_max", "stock", "ledger", "rating_avg", "review_count", "created_at"]

    @admin.display(description=_("Stock ledger"))
    def ledger(self, product: Product) -> str:
        return _ledger_link(gettext("Every change of this product's stock"), variant__product__id__exact=product.pk)

    def get_search_results(self, request, queryset, search_term):
        # As the API searches: the folded copy of every language's title and description.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if not folded:
            return found, may_have_duplicates
        return found | queryset.filter(search_text__contains=folded), True

    def create_object(self, *, data):
        data = translations_from_form(data, TRANSLATED_FIELDS)
        data["price"] = data.pop("base_price")
        data["stock"] = data.pop("initial_stock") or 0
        return product_create(**data)

    def update_object(self, *, instance, data):
        return product_update(product=instance, data=translations_from_form(data, TRANSLATED_FIELDS))

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProductImage:
            return super().save_formset(request, form, formset, change)
        # What the admin's history message lists, as formset.save() would have recorded it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for image_form in formset.deleted_forms:
            if image_form.instance.pk:
                product_image_delete(image=image_form.instance)
                formset.deleted_objects.append(image_form.instance)
        for image_form in formset.forms:
            if image_form in formset.deleted_forms or not image_form.has_changed():
                continue
            data = {
                name: image_form.cleaned_data[name] for name in image_form.changed_data if name in ("alt", "position")
            }
            if image_form.instance.pk:
                image = product_image_update(image=ProductImage.objects.get(pk=image_form.instance.pk), data=data)
                formset.changed_objects.append((image, list(data)))
            else:
                image = product_image_create(product=form.instance, file=image_form.cleaned_data["upload"], **data)
                formset.new_objects.append(image)

    # Deletes go through the service too: it keeps the categories' product counts.
    def delete_model(self, request, obj):
        product_delete(product=obj)

    def delete_queryset(self, request, queryset):
        for product in queryset:
            product_delete(product=product)


class _ProductOptionForm(forms.ModelForm):
    class Meta:
        model = ProductOption
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = list(self.instance.values.all()) if self.instance.pk else []
        for language in other_languages():
            texts = [value.translations.get(language, {}).get("value", "") for value in values]
            self.initial[translation_field_name("values", language)] = "\n".join(texts) if any(texts) else ""

    def clean(self):
        cleaned = super().clean()
        count = self.instance.values.count()
        for language in other_languages():
            name = translation_field_name("values", language)
            text = cleaned.get(name, "")
            # One line per value, in their order; nothing at all removes the values' translations.
            cleaned[name] = text.splitlines() if text.strip() else [""] * count
        return cleaned


ProductOptionForm = type(
    "ProductOptionForm",
    (with_translations(_ProductOptionForm, ["name"]),),
    {
        translation_field_name("values", language): forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 6}),
            label=format_lazy("{field} ({language})", field=_("Values"), language=LANGUAGE_NAMES[language]),
            help_text=_("One per line, in the order of the values; an empty line leaves that value untranslated."),
        )
        for language in other_languages()
    },
)


@admin.register(ProductOption)
class ProductOptionAdmin(ServiceModelAdmin):
    """An option's translations, beside its name and values: the name and values themselves are
    written with the product (the API), as variants depend on them."""

    form = ProductOptionForm
    list_display = ["name", "product"]
    list_select_related = ["product"]
    search_fields = ["name", "product__title"]
    readonly_fields = ["product", "name", "values_shown"]

    def get_fields(self, request, obj=None):
        translated = [translation_field_name("name", language) for language in other_languages()]
        values = [translation_field_name("values", language) for language in other_languages()]
        return ["product", "name", *translated, "values_shown", *values]

    @admin.display(description=_("Values"))
    def values_shown(self, option: ProductOption) -> str:
        return ", ".join(value.value for value in option.values.all())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def update_object(self, *, instance, data):
        return product_option_translate(
            option=instance, translations=translations_from_form(data, ["name", "values"]).get("translations", {})
        )


class VariantForm(forms.ModelForm):
    choices = forms.CharField(
        required=False,
        label=_("Options"),
        help_text=_("One value per option of the product, e.g. Size=M; Colour=Red."),
    )
    initial_stock = forms.IntegerField(min_value=0, max_value=MAX_STOCK, initial=0, required=False, label=_("Stock"))

    class Meta:
        model = Variant
        fields = ["product", "sku", "price", "is_active", "low_stock_threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices"] = "; ".join(f"{n}={v}" for n, v in self.instance.options.items())

    def clean_choices(self) -> dict[str, str]:
        pairs = [part.split("=", 1) for part in self.cleaned_data["choices"].split(";") if part.strip()]
        if any(len(pair) != 2 for pair in pairs):
            raise ValidationError(gettext("Write each option as Name=Value, separated by ';'."))
        return {name.strip(): value.strip() for name, value in pairs}


class StockAdjustForm(forms.Form):
    delta = forms.IntegerField(
        min_value=-MAX_STOCK,
        max_value=MAX_STOCK,
        label=_("Change"),
        help_text=_("Units to add (positive) or take away (negative)."),
    )
    reason = forms.ChoiceField(
        choices=[(r.value, r.label) for r in StockReason if r in ADJUSTMENT_REASONS], label=_("Reason")
    )


@admin.register(Variant)
class VariantAdmin(ServiceModelAdmin):
    form = VariantForm
    list_display = ["sku", "product", "price", "stock", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["product"]
    search_fields = ["sku", "product__title"]
    autocomplete_fields = ["product"]
    readonly_fields = ["stock", "adjust"]

    def get_fields(self, request, obj=None):
        fields = ["product", "sku", "choices", "price", "is_active", "low_stock_threshold"]
        return [*fields, "initial_stock"] if obj is None else [*fields, "stock", "adjust"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["product", "stock", "adjust"]

    @admin.display(description=_("Change stock"))
    def adjust(self, variant: Variant) -> str:
        url = reverse("admin:products_variant_adjust_stock", args=[variant.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Adjust stock"))

    def create_object(self, *, data):
        return variant_create(
            product=data["product"],
            sku=data["sku"],
            options=data["choices"],
            price=data["price"],
            stock=data["initial_stock"] or 0,
            is_active=data["is_active"],
            low_stock_threshold=data["low_stock_threshold"],
        )

    def update_object(self, *, instance, data):
        if "choices" in data:
            data["options"] = data.pop("choices")
        return variant_update(variant=instance, data=data)

    def get_urls(self):
        adjust = path(
            "<id:variant_id>/adjust-stock/",
            self.admin_site.admin_view(self.adjust_stock_view),
            name="products_variant_adjust_stock",
        )
        return [adjust, *super().get_urls()]

    def adjust_stock_view(self, request, variant_id: int):
        variant = get_object_or_404(Variant.objects.select_related("product"), pk=variant_id)
        if not request.user.has_perm("products.adjust_stock"):
            raise PermissionDenied
        form = StockAdjustForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                variant = stock_adjust(variant_id=variant.pk, actor=request.user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                form.add_error("delta", error_message(exc))
            else:
                message = gettext("{sku}: stock is now {stock}.").format(sku=variant.sku, stock=variant.stock)
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:products_product_change", variant.product_id)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Adjust stock: {product} ({sku})").format(product=variant.product.title, sku=variant.sku),
            "opts": self.opts,
            "original": variant,
            "form": form,
        }
        return TemplateResponse(request, "admin/products/variant/adjust_stock.html", context)


class LedgerProductFilter(admin.SimpleListFilter):
    """The product whose ledger is shown (the product page links here with it). Only the chosen
    product is offered: listing every product the ledger names reads the whole ledger, millions
    of rows in a busy year; to pick another, search by its title or follow its page's link."""

    title = _("product")
    parameter_name = "variant__product__id__exact"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not ASCII_INTEGER.fullmatch(value):
            return []
        return list(Product.objects.filter(pk=value).values_list("pk", "title"))

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(variant__product_id=value) if value and ASCII_INTEGER.fullmatch(value) else queryset


@admin.register(StockMovement)
class StockMovementAdmin(LargeTableAdminMixin, StreamedExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The stock ledger, newest first: written only by the stock service."""

    list_display = ["created_at", "sku", "product", "delta", "stock_after", "reason", "order_id", "actor"]
    list_filter = ["reason", "created_at", LedgerProductFilter]
    search_fields = ["variant__sku", "variant__product__title", "order_id"]
    list_select_related = ["variant__product", "actor"]
    date_hierarchy = "created_at"
    export_resource = StockMovementResource
    export_order = "-pk"  # newest first, as listed

    def lookup_allowed(self, lookup, value, request):
        # The product filter's parameter spans two relations, which the admin allows only for
        # a filter on that relation itself.
        return lookup == LedgerProductFilter.parameter_name or super().lookup_allowed(lookup, value, request)

    def export_rows(self, queryset):
        return queryset.select_related("variant__product", "actor")

    @admin.display(description=_("SKU"), ordering="variant__sku")
    def sku(self, movement: StockMovement) -> str:
        return movement.variant.sku

    @admin.display(description=_("Product"))
    def product(self, movement: StockMovement) -> str:
        return movement.variant.product.title
