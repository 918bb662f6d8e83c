from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from users.models import OneTimeCode, User
from users.services import user_tokens_revoke


class UserPasswordChangeAdminForm(AdminPasswordChangeForm):
    """A password set by staff ends the user's sessions, as the user's own change does."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            user_tokens_revoke(user=user)
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = UserPasswordChangeAdminForm
    list_display = ["username", "email", "first_name", "last_name", "phone", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "date_joined"]
    search_fields = ["username", "email", "first_name", "last_name", "phone"]
    ordering = ["-date_joined"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Contact"), {"fields": ("phone", "phone_verified", "language")}),)
    # Only a code sent to the phone verifies it; staff who change the phone unverify it.
    readonly_fields = ["phone_verified"]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Only the fields staff changed: saving the whole row would write back the token version
        # as read, undoing a revocation made meanwhile.
        changed = [name for name in form.changed_data if not obj._meta.get_field(name).many_to_many]
        if "phone" in changed:
            obj.phone_verified = False
            changed.append("phone_verified")
        obj.save(update_fields=changed)
        if "email" in form.changed_data:
            user_tokens_revoke(user=obj)


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    """Which numbers asked for sign-in codes, and when: to see SMS pumping. Read only; the
    codes themselves were never stored."""

    list_display = ["phone", "created_at", "expires_at", "attempts", "used_at"]
    search_fields = ["phone"]
    date_hierarchy = "created_at"
    fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
