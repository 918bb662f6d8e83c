from django.contrib import admin

from categories.models import Category
from products.models import Product


class ProductInline(admin.TabularInline):
    model = Product
    fields = ["title", "slug", "price", "stock", "is_active"]
    prepopulated_fields = {"slug": ("title",)}
    extra = 0
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at", "updated_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ("name",)}
    list_filter = ["created_at"]
    inlines = [ProductInline]
