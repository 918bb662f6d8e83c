import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from addresses.regions import ETHIOPIA_REGIONS
from addresses.snapshots import AddressSnapshot
from ecommerce.common.admin import (
    FormActionMixin,
    LargeTableAdminMixin,
    ReadOnlyTabularInline,
    ServiceModelAdmin,
    StreamedExportMixin,
    error_message,
    money_column,
)
from ecommerce.common.display import options_display
from ecommerce.common.exceptions import ApplicationError
from ecommerce.common.money import money_display
from ecommerce.common.translations import beside_translations, translations_from_form, with_translations
from ecommerce.common.validators import normalize_ethiopian_phone
from orders.models import (
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Return,
    ReturnCondition,
    ReturnEvent,
    ReturnLine,
)
from orders.packing_slips import PACKING_SLIPS_AT_ONCE, delivery_display, packing_slips_pdf
from orders.resources import OrderLineResource
from orders.services import order_status_change
from orders.services.delivery import DELIVERY_METHOD_FIELDS, delivery_method_create, delivery_method_update
from orders.services.returns import return_approve, return_receive, return_reject
from orders.services.transitions import NEXT_STEP


class OrderItemInline(ReadOnlyTabularInline):
    """Each line as sold, with what the packer needs to pick it: its SKU and options."""

    model = OrderItem
    fields = ["product", "product_title", "sku", "options", "unit_price", "quantity", "line_total"]
    readonly_fields = fields

    @admin.display(description=_("Options"))
    def options(self, item: OrderItem) -> str:
        return options_display(item.variant_options) or "-"


class OrderEventInline(ReadOnlyTabularInline):
    model = OrderEvent
    fields = ["created_at", "type", "from_status", "status", "payment_status", "actor", "note"]
    readonly_fields = fields


class OrderReturnInline(ReadOnlyTabularInline):
    model = Return
    fields = ["number", "status", "refund_amount", "delivery_refund", "created_at"]
    readonly_fields = fields
    show_change_link = True


def _address_html(snapshot: AddressSnapshot):
    return format_html_join("", "{}<br>", ((line,) for line in snapshot.lines()))


class DeliveryMethodFilter(admin.SimpleListFilter):
    """Orders by the delivery method they were placed with (kept on the order as it was)."""

    title = _("delivery method")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return list(DeliveryMethod.objects.order_by("name").values_list("code", "name"))

    def queryset(self, request, queryset):
        return queryset.filter(delivery__method=self.value()) if self.value() else queryset


# What staff type at the desk when a customer calls: the whole order number, or the phone.
ORDER_NUMBER = re.compile(r"[0-9A-Za-z]{8}")
INTERNATIONAL_PHONE = re.compile(r"\+[1-9]\d{6,14}")


def _phone(term: str) -> str | None:
    """The term as the shop stores a phone (addresses.services), or None if it is not one."""
    compact = re.sub(r"[\s\-()]", "", term)
    if INTERNATIONAL_PHONE.fullmatch(compact) and not compact.startswith("+251"):
        return compact
    try:
        return normalize_ethiopian_phone(compact)
    except ValidationError:
        return None


@admin.register(Order)
class OrderAdmin(LargeTableAdminMixin, StreamedExportMixin, FormActionMixin, admin.ModelAdmin):
    """Orders are read here and changed only by actions that call the order services: the page
    has no Save, so no status, payment status or holding read earlier is ever written back."""

    action_form_template = "admin/orders/order/action_form.html"
    action_form_object = "order"
    action_form_one_only = _("Choose exactly one order for this action.")

    list_display = [
        "number",
        "receipt_number",
        "user",
        "status",
        "payment_status",
        "payment_method",
        money_column("total", _("total")),
        "created_at",
        "expires_at",
    ]
    list_filter = ["status", "payment_status", "payment_method", DeliveryMethodFilter, "created_at"]
    # An order is found by its number or its receipt's, the customer's e-mail or name, the
    # phone it ships to, or the SKU of a line in it.
    search_fields = [
        "number",
        "receipt_number",
        "items__sku",
        "user__username",
        "user__email",
        "coupon_code",
        "shipping_address__phone",
        "shipping_address__full_name",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    fields = [
        "number",
        "receipt_number",
        "user",
        "status",
        "payment_status",
        "subtotal",
        "discount_amount",
        "delivery_method",
        "delivery_fee",
        "total",
        "vat_amount",
        "refunded_amount",
        "currency",
        "payment_method",
        "coupon_code",
        "tracking_details",
        "shipping",
        "billing",
        "buyer_tin",
        "notes",
        "expires_at",
        "paid_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [OrderItemInline, OrderEventInline, OrderReturnInline]
    export_resource = OrderLineResource
    actions = ["advance_status", "ship_with_tracking", "cancel_orders", "print_packing_slips"]

    def get_search_results(self, request, queryset, search_term):
        # A whole order number or phone is found through its index; only when no order has it
        # is every field searched (a scan of every order and its lines, seconds at a million).
        term = search_term.strip()
        exact = []
        if ORDER_NUMBER.fullmatch(term):
            exact.append({"number": term.upper()})
        if phone := _phone(term):
            exact.append({"shipping_address__phone": phone})
        for lookup in exact:
            found = queryset.filter(**lookup)
            if found.exists():
                return found, False
        return super().get_search_results(request, queryset, search_term)

    def export_rows(self, queryset):
        # Each listed order's lines, with the order they belong to read in the same query.
        # (Exported in the order the lines were sold: primary-key order, which is placement order.)
        return OrderItem.objects.filter(order__in=queryset).select_related("order__user")

    @admin.display(description=_("Delivery"))
    def delivery_method(self, order: Order) -> str:
        return delivery_display(order)

    @admin.display(description=_("Tracking"))
    def tracking_details(self, order: Order):
        if not order.tracking:
            return "-"
        text = gettext("{carrier}, number {number}").format(
            carrier=order.tracking.get("carrier", ""), number=order.tracking.get("number", "")
        )
        if order.tracking.get("url"):
            return format_html(
                gettext('{tracking} (<a href="{url}" rel="noopener">follow it</a>)'),
                tracking=text,
                url=order.tracking["url"],
            )
        return text

    @admin.display(description=_("Shipping address"))
    def shipping(self, order: Order):
        return _address_html(order.ship_to)

    @admin.display(description=_("Billing address"))
    def billing(self, order: Order):
        return _address_html(order.bill_to)

    def has_add_permission(self, request):
        return False  # orders are placed by customers at checkout

    def has_change_permission(self, request, obj=None):
        return False  # every change is an action below, through the services

    def has_delete_permission(self, request, obj=None):
        return False  # an order is a record of a sale: cancel it instead

    # The actions' permissions (`@admin.action(permissions=[...])` asks `has_<name>_permission`),
    # the same ones the API checks. Moving an order is what the change permission means here.
    def has_move_permission(self, request):
        return request.user.has_perm("orders.change_order")

    def has_record_payment_permission(self, request):
        return request.user.has_perm("orders.record_payment")

    def _apply(self, request, queryset, target_for, note: str) -> None:
        done = 0
        for order in queryset:
            target = target_for(order)
            if target is None:
                message = gettext("{number}: nothing to do from {status}.").format(
                    number=order.number, status=order.get_status_display().lower()
                )
                self.message_user(request, message, messages.WARNING)
                continue
            try:
                order_status_change(order_id=order.pk, new_status=target, actor=request.user, note=note)
                done += 1
            except (ApplicationError, ValidationError) as exc:
                self.message_user(request, f"{order.number}: {error_message(exc)}", messages.ERROR)
        if done:
            message = ngettext("{count} order changed.", "{count} orders changed.", done).format(count=done)
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Advance status (confirmed → processing → shipped → delivered)"), permissions=["move"])
    def advance_status(self, request, queryset):
        self._apply(request, queryset, lambda order: NEXT_STEP.get(order.status), "Advanced in admin.")

    @admin.action(description=_("Cancel (stock goes back; a paid order is flagged for refund)"), permissions=["move"])
    def cancel_orders(self, request, queryset):
        self._apply(request, queryset, lambda order: OrderStatus.CANCELLED, "Cancelled in admin.")

    @admin.action(description=_("Print packing slips"), permissions=["view"])
    def print_packing_slips(self, request, queryset):
        """One PDF with a packing slip per selected order, oldest first, to print at once."""
        if queryset.count() > PACKING_SLIPS_AT_ONCE:
            message = gettext("Choose at most {count} orders to print at once.").format(count=PACKING_SLIPS_AT_ONCE)
            self.message_user(request, message, messages.WARNING)
            return None
        orders = list(queryset.order_by("created_at", "pk").prefetch_related("items"))
        response = HttpResponse(packing_slips_pdf(orders=orders), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="packing-slips.pdf"'
        return response

    @admin.action(description=_("Ship with tracking (one processing order)"), permissions=["move"])
    def ship_with_tracking(self, request, queryset):
        def ship(order, data):
            tracking = {key: data[key] for key in ("carrier", "number", "url")}
            order_status_change(
                order_id=order.pk,
                new_status=OrderStatus.SHIPPED,
                actor=request.user,
                note=data["note"],
                tracking=tracking,
            )

        return self.one_object_form(request, queryset, TrackingForm, ship, _("Ship order {number}"), _("shipped"))


class TrackingForm(forms.Form):
    carrier = forms.CharField(max_length=100, label=_("Carrier"))
    number = forms.CharField(max_length=100, label=_("Tracking number"))
    url = forms.URLField(max_length=500, required=False, label=_("Tracking URL"), assume_scheme="https")
    note = forms.CharField(max_length=500, required=False, label=_("Note"))


class DeliveryMethodForm(forms.ModelForm):
    regions = forms.MultipleChoiceField(
        choices=[(name, name) for name in ETHIOPIA_REGIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Regions"),
    )
    cities = forms.CharField(
        required=False,
        label=_("Cities"),
        help_text=_("Comma-separated, e.g. Adama, Hawassa. Compared without regard to case."),
    )

    class Meta:
        model = DeliveryMethod
        fields = DELIVERY_METHOD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["cities"] = ", ".join(self.instance.cities)

    def clean_cities(self):
        return [name.strip() for name in self.cleaned_data["cities"].split(",") if name.strip()]


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(ServiceModelAdmin):
    # The name beside its translations ("Name (Amharic)"), saved through the services.
    form = with_translations(DeliveryMethodForm, ["name"])
    fields = [*beside_translations(DELIVERY_METHOD_FIELDS, ["name"]), "created_at", "updated_at"]
    list_display = ["name", "code", "kind", "fee", "free_over", "estimated_days", "cash_on_delivery", "is_active"]
    list_filter = ["kind", "cash_on_delivery", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("days"))
    def estimated_days(self, method: DeliveryMethod) -> str:
        return f"{method.estimated_days_min}-{method.estimated_days_max}"

    def create_object(self, *, data):
        return delivery_method_create(**translations_from_form(data, ["name"]))

    def update_object(self, *, instance, data):
        return delivery_method_update(method=instance, data=translations_from_form(data, ["name"]))


class ReturnLineInline(ReadOnlyTabularInline):
    model = ReturnLine
    fields = ["order_item", "quantity", "reason", "condition", "restocked", "refund_amount"]
    readonly_fields = fields


class ReturnEventInline(ReadOnlyTabularInline):
    model = ReturnEvent
    fields = ["created_at", "type", "status", "actor", "note"]
    readonly_fields = fields


class ReturnNoteForm(forms.Form):
    note = forms.CharField(max_length=1000, label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


def receive_form(ret: Return) -> type[forms.Form]:
    """A form with each line's condition, resellable by default."""
    fields = {
        f"line_{line.order_item_id}": forms.ChoiceField(
            choices=ReturnCondition.choices,
            initial=ReturnCondition.RESELLABLE,
            label=f"{line.quantity} × {line.order_item.product_title} ({line.order_item.sku})",
        )
        for line in ret.lines.select_related("order_item")
    }
    fields["note"] = forms.CharField(max_length=1000, required=False, label=_("Note"))
    return type("ReturnReceiveForm", (forms.Form,), fields)


@admin.register(Return)
class ReturnAdmin(FormActionMixin, admin.ModelAdmin):
    """Returns are read here and moved only by actions that call the return services."""

    action_form_template = "admin/orders/return/action_form.html"
    action_form_object = "ret"
    action_form_one_only = _("Choose exactly one return for this action.")

    list_display = ["number", "order", "status", "refunded", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["number", "order__number", "order__user__email"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    fields = ["number", "order", "status", "note", "refund_amount", "delivery_refund", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [ReturnLineInline, ReturnEventInline]
    actions = ["approve_returns", "reject_return", "receive_return"]

    @admin.display(description=_("refund amount"), ordering="refund_amount")
    def refunded(self, ret: Return) -> str:
        return money_display(ret.refund_amount, ret.order.currency)

    def has_add_permission(self, request):
        return False  # customers ask for returns

    def has_change_permission(self, request, obj=None):
        return False  # every change is an action below, through the services

    def has_delete_permission(self, request, obj=None):
        return False

    # Moving a return is what its change permission means, as in the API.
    def has_move_permission(self, request):
        return request.user.has_perm("orders.change_return")

    def has_refund_permission(self, request):
        return request.user.has_perm("orders.refund")

    @admin.action(description=_("Approve the returns"), permissions=["move"])
    def approve_returns(self, request, queryset):
        for ret in queryset:
            try:
                return_approve(return_id=ret.pk, actor=request.user)
            except (ApplicationError, ValidationError) as exc:
                self.message_user(request, f"{ret.number}: {error_message(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"{ret.number}: {gettext('approved')}.", messages.SUCCESS)

    @admin.action(description=_("Reject a return (with a note)"), permissions=["move"])
    def reject_return(self, request, queryset):
        return self.one_object_form(
            request,
            queryset,
            ReturnNoteForm,
            lambda ret, data: return_reject(return_id=ret.pk, actor=request.user, note=data["note"]),
            _("Reject return {number}"),
            _("rejected"),
        )

    @admin.action(description=_("Receive the goods of a return"), permissions=["move"])
    def receive_return(self, request, queryset):
        def receive(ret, data):
            conditions = {
                int(name.removeprefix("line_")): value for name, value in data.items() if name.startswith("line_")
            }
            return_receive(return_id=ret.pk, actor=request.user, conditions=conditions, note=data["note"])

        return self.one_object_form(
            request, queryset, receive_form, receive, _("Receive return {number}"), _("received")
        )
