from django.contrib import admin

from addresses.models import Address


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "address_type", "city", "region", "country", "phone", "is_default"]
    list_filter = ["address_type", "is_default", "country", "city"]
    search_fields = ["full_name", "phone", "line1", "city", "user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
