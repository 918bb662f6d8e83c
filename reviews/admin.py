from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reviews.models import Review
from reviews.services import review_set_visibility


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["product", "user", "rating", "is_visible", "verified_purchase", "created_at"]
    list_filter = ["is_visible", "rating", "verified_purchase", "created_at"]
    search_fields = ["comment", "product__title", "user__username", "user__email"]
    list_select_related = ["product", "user"]
    readonly_fields = [
        "product",
        "user",
        "rating",
        "comment",
        "verified_purchase",
        "is_visible",
        "created_at",
        "updated_at",
    ]
    actions = ["hide_reviews", "show_reviews"]

    def has_add_permission(self, request):
        return False  # reviews come from buyers

    def _set_visibility(self, request, queryset, visible: bool) -> None:
        for review_id in queryset.values_list("pk", flat=True):
            review_set_visibility(review_id=review_id, visible=visible)
        count = queryset.count()
        if visible:
            message = ngettext("{count} review shown.", "{count} reviews shown.", count)
        else:
            message = ngettext("{count} review hidden.", "{count} reviews hidden.", count)
        self.message_user(request, message.format(count=count), messages.SUCCESS)

    @admin.action(description=_("Hide selected reviews (moderation)"), permissions=["change"])
    def hide_reviews(self, request, queryset):
        self._set_visibility(request, queryset, visible=False)

    @admin.action(description=_("Show selected reviews again"), permissions=["change"])
    def show_reviews(self, request, queryset):
        self._set_visibility(request, queryset, visible=True)
