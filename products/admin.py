from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ecommerce.common.admin import ServiceModelAdmin, error_message
from ecommerce.common.exceptions import ApplicationError
from products.models import Product
from products.services import product_create, product_stock_adjust, product_update


class StockAdjustForm(forms.Form):
    delta = forms.IntegerField(help_text="Units to add (positive) or take away (negative).")


@admin.register(Product)
class ProductAdmin(ServiceModelAdmin):
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
    # Never stock: a value typed over the one shown would undo the checkouts made meanwhile.
    list_editable = ["price", "is_active"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category"]
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        counted = ["rating_avg", "review_count", "created_at", "updated_at"]
        # A new product starts with the stock given; after that only adjustments change it.
        return counted if obj is None else ["stock", "adjust_stock_link", *counted]

    @admin.display(description="Change stock")
    def adjust_stock_link(self, product: Product) -> str:
        url = reverse("admin:products_product_adjust_stock", args=[product.pk])
        return format_html('<a class="button" href="{}">Adjust stock</a>', url)

    def get_urls(self):
        adjust = path(
            "<int:product_id>/adjust-stock/",
            self.admin_site.admin_view(self.adjust_stock_view),
            name="products_product_adjust_stock",
        )
        return [adjust, *super().get_urls()]

    def adjust_stock_view(self, request, product_id: int):
        product = get_object_or_404(Product, pk=product_id)
        if not self.has_change_permission(request, product):
            return redirect("admin:index")
        form = StockAdjustForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                product = product_stock_adjust(product_id=product.pk, delta=form.cleaned_data["delta"])
            except (ApplicationError, ValidationError) as exc:
                form.add_error("delta", error_message(exc))
            else:
                self.message_user(request, f"{product.title}: stock is now {product.stock}.", messages.SUCCESS)
                return redirect("admin:products_product_change", product.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Adjust stock: {product.title}",
            "opts": self.opts,
            "original": product,
            "form": form,
        }
        return TemplateResponse(request, "admin/products/product/adjust_stock.html", context)

    def create_object(self, *, data):
        return product_create(**data)

    def update_object(self, *, instance, data):
        return product_update(product=instance, data=data)
