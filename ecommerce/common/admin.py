import csv
import tempfile
from datetime import datetime, timedelta
from functools import cached_property

import openpyxl
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from import_export import resources
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ecommerce.common.exceptions import ApplicationError
from ecommerce.common.money import money_display


def error_message(exc: Exception) -> str:
    """What a service refused, in words a staff member can read."""
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


class FormActionMixin:
    """Admin actions that ask for details first: the form on a page of its own, then `act(obj,
    cleaned_data)` through a service once it is submitted. One object at a time, named by its
    `number`; `action_form_template` shows it as `action_form_object`."""

    action_form_template: str
    action_form_object: str
    action_form_one_only: str  # what to say when not exactly one is chosen

    def one_object_form(self, request, queryset, form_class, act, title: str, done: str, initial=None):
        if queryset.count() != 1:
            self.message_user(request, str(self.action_form_one_only), messages.WARNING)
            return None
        obj = queryset.get()
        if not isinstance(form_class, type):
            form_class = form_class(obj)  # a form made for this object (its lines, say)
        form = form_class(request.POST if "apply" in request.POST else None, initial=initial or {})
        if form.is_bound and form.is_valid():
            try:
                act(obj, form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                self.message_user(request, f"{obj.number}: {error_message(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"{obj.number}: {done}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title.format(number=obj.number),
            self.action_form_object: obj,
            "form": form,
            "action": request.POST["action"],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, self.action_form_template, context)


def data_html(value):
    """Data kept as JSON (a gateway's answer, a webhook's body) as lines a shop owner reads,
    "status: success", never as JSON: nested keys are joined ("customization › title: Order"),
    a list of plain values is one line, a list of objects numbers its items."""
    if value in (None, "", {}, []):
        return "-"
    return format_html_join("", "{}{}<br>", ((f"{key}: " if key else "", text) for key, text in _data_lines(value, "")))


def _data_lines(value, key: str):
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _data_lines(item, f"{key} › {name}" if key else str(name))
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for number, item in enumerate(value, start=1):
            yield from _data_lines(item, f"{key} {number}".strip())
    elif isinstance(value, list):
        yield key, ", ".join(str(item) for item in value) or "-"
    else:
        yield key, "-" if value is None or value == "" else str(value)


# Past this many rows an unfiltered list shows PostgreSQL's estimate of its size instead of
# counting every row on each page load (a million orders take a second core's worth to count).
ESTIMATE_FROM = 100_000


class LargeTablePaginator(Paginator):
    """The admin's paginator for tables of millions of rows: a filtered or searched list is
    counted exactly (its filters narrow it first); the whole table's size is PostgreSQL's own
    estimate (pg_class.reltuples, kept current by autovacuum and ANALYZE) once it is large, so
    "1,000,004 orders" may read "1,000,000" and the last page may be short."""

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] >= ESTIMATE_FROM:
                return row[0]
        return super().count


class CalendarQuerySet(models.QuerySet):
    """The date hierarchy's years, months and days from the listed rows' first and last date
    (two probes of the date's index) rather than a DISTINCT over every row (a scan of the whole
    table at a million orders). A month inside the range with no rows is still offered."""

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None, is_dst=None):
        bounds = self.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        if bounds["first"] is None:
            return []
        first, last = (timezone.localtime(bounds[key], tzinfo) for key in ("first", "last"))
        steps = []
        if kind == "year":
            steps = [datetime(year, 1, 1) for year in range(first.year, last.year + 1)]
        elif kind == "month":
            month = datetime(first.year, first.month, 1)
            while month <= last.replace(tzinfo=None):
                steps.append(month)
                month = (month + timedelta(days=32)).replace(day=1)
        else:
            day = datetime(first.year, first.month, first.day)
            while day <= last.replace(tzinfo=None):
                steps.append(day)
                day += timedelta(days=1)
        steps = [timezone.make_aware(step, first.tzinfo) for step in steps]
        return steps if order == "ASC" else steps[::-1]


class LargeTableAdminMixin:
    """A change list that stays fast at millions of rows: the table's size estimated
    (LargeTablePaginator), no second count of the unfiltered table next to a filtered one, and
    a date hierarchy that reads two index entries (CalendarQuerySet)."""

    paginator = LargeTablePaginator
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return CalendarQuerySet(model=queryset.model, query=queryset.query, using=queryset.db)


def money_column(field: str, description):
    """A list column of an amount and its currency as people read them ("6,900.00 ETB"), sorted
    by the amount; the row has `currency`."""

    @admin.display(description=description, ordering=field)
    def column(obj) -> str:
        return money_display(getattr(obj, field), obj.currency)

    return column


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


class SpreadsheetResource(resources.ModelResource):
    """A `Resource` whose columns are headed in the reader's language: a model field's column by
    its verbose name, a declared one by the lazy `column_name` it is given. The headers are
    written when the export is (StreamedExportMixin), in the staff member's language."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = django_field.verbose_name
        return field


class StreamedExportMixin:
    """Export what the change list shows, with its current filters and search, to CSV or XLSX,
    row by row: the rows come from the database in chunks and leave as they are written (CSV
    streams; XLSX is written by openpyxl's write-only workbook to a temporary file), so a
    year of orders never sits in memory at once.

    The rows and their headers are a django-import-export `Resource` (`export_resource`, a
    SpreadsheetResource, so the headers are in the reader's language); the
    admin says which rows belong to the listed objects with `export_rows(queryset)`. Every cell
    passes through `spreadsheet_cell`, so no text a customer typed opens as a formula."""

    export_resource = None
    # The rows' order in the file: "pk" (oldest first) or "-pk" (newest first).
    export_order = "pk"
    change_list_template = "admin/streamed_export_change_list.html"

    def export_rows(self, queryset):
        return queryset

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        export = path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name=name)
        return [export, *super().get_urls()]

    def export_view(self, request, fmt: str):
        if fmt not in ("csv", "xlsx") or not self.has_view_permission(request):
            raise Http404
        try:
            listed = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            # The change list itself answers these with a redirect to `?e=1`; a download says so.
            return HttpResponseBadRequest(str(FILTERS_NOT_APPLICABLE), content_type="text/plain; charset=utf-8")
        resource = self.export_resource()
        rows = (
            # Native types: a number stays a number, and only what is text is text.
            [spreadsheet_cell(value) for value in resource.export_resource(obj, force_native_type=True)]
            for obj in keyset_chunks(self.export_rows(listed), self.export_order)
        )
        filename = f"{self.opts.model_name}s-{timezone.localdate().isoformat()}.{fmt}"
        headers = resource.get_export_headers()
        if fmt == "csv":
            response = StreamingHttpResponse(_csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
        else:
            response = FileResponse(_xlsx_file(headers, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def keyset_chunks(queryset, order: str, size: int = 2000):
    """Every row of `queryset`, `size` at a time, each chunk the next range of the primary key.
    Not `.iterator()`: with server-side cursors off (PgBouncer's transaction pooling), it reads
    the whole result into memory before the first row, a gigabyte for a busy month's lines."""
    after = None
    descending = order.startswith("-")
    while True:
        chunk = queryset.order_by(order)
        if after is not None:
            chunk = chunk.filter(pk__lt=after) if descending else chunk.filter(pk__gt=after)
        rows = list(chunk[:size])
        yield from rows
        if len(rows) < size:
            return
        after = rows[-1].pk


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS_NOT_APPLICABLE = _("The list cannot be exported with these filters: open the list again and choose them there.")


# A text cell starting with one of these is read as a formula by Excel, LibreOffice or Google
# Sheets (a name of `=HYPERLINK(...)` becomes a live link in the owner's spreadsheet).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A value as a spreadsheet must show it: text that would start a formula gets the quote
    that makes it text. Numbers and dates are not text and pass as they are (a delta of -3)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def _csv_lines(headers, rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that a spreadsheet opens the Amharic as UTF-8
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def _csv_text(value):
    # The native time (local, naive) as the resource's own text would have it, to the second.
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value


def _xlsx_file(headers, rows):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    # FileResponse closes it once sent; the workbook is written to disk, not held in memory.
    spooled = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(spooled)
    spooled.seek(0)
    return spooled


def _xlsx_cell(sheet, value):
    if not isinstance(value, str):
        return value
    # Control characters a customer typed (XML cannot hold them) would stop the whole file.
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"  # a string, never a formula, whatever it starts with
    return cell
