from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from ecommerce.common.exceptions import ApplicationError


def error_message(exc: Exception) -> str:
    """What a service refused, in words a staff member can read."""
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


class ReadOnlyAdminMixin:
    """Records staff may read but not create, edit or delete (gateway data, audit trails)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class ServiceModelAdmin(admin.ModelAdmin):
    """The admin as one more client of the app's services.

    A Save creates through `create_object` and updates through `update_object`, which call the
    app's services with only the fields the staff member changed, applied to the row as it is
    now: nothing read when the page was opened is written back over a concurrent change (a
    checkout, a payment). What a service refuses comes back as a message on the same page.
    """

    def create_object(self, *, data: dict):
        raise NotImplementedError

    def update_object(self, *, instance, data: dict):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
            if not data:
                return
            saved = self.update_object(instance=type(obj)._default_manager.get(pk=obj.pk), data=data)
        else:
            saved = self.create_object(data=dict(form.cleaned_data))
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, ApplicationError) as exc:
            self.message_user(request, error_message(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (ValidationError, ApplicationError) as exc:
            self.message_user(request, error_message(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
