from django.contrib import admin

from products.models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "price",
        "currency",
        "stock",
        "is_active",
        "rating_avg",
        "review_count",
        "updated_at",
    ]
    list_filter = ["is_active", "category", "currency", "created_at"]
    list_editable = ["price", "stock", "is_active"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ["rating_avg", "review_count", "created_at", "updated_at"]
    autocomplete_fields = ["category"]
    list_per_page = 50
