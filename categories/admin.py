from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from categories.services import TRANSLATED_FIELDS, category_create, category_update
from ecommerce.common.admin import ServiceModelAdmin
from ecommerce.common.translations import beside_translations, translations_from_form, with_translations


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "description"]


@admin.register(Category)
class CategoryAdmin(ServiceModelAdmin):
    # Each translated field beside its translations ("Name (Amharic)"), saved through the services.
    form = with_translations(CategoryForm, TRANSLATED_FIELDS)
    fields = [*beside_translations(CategoryForm.Meta.fields, TRANSLATED_FIELDS), "products"]
    list_display = ["name", "slug", "products", "created_at", "updated_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ("name",)}
    list_filter = ["created_at"]
    readonly_fields = ["products"]

    @admin.display(description=_("Products"))
    def products(self, category: Category) -> str:
        # A link rather than an inline: products are edited on their own page, through their services.
        if category.pk is None:
            return "-"
        url = reverse("admin:products_product_changelist") + f"?category__id__exact={category.pk}"
        return format_html(gettext('<a href="{url}">Products in {category}</a>'), url=url, category=category.name)

    def create_object(self, *, data):
        return category_create(**translations_from_form(data, TRANSLATED_FIELDS))

    def update_object(self, *, instance, data):
        return category_update(category=instance, data=translations_from_form(data, TRANSLATED_FIELDS))
