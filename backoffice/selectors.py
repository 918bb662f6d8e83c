"""The dashboard's figures: a fixed handful of queries however many orders there are, cached
for a minute so a busy morning of page loads costs the database nothing more."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from orders.models import Order, OrderItem, OrderStatus, PaymentMethod, PaymentStatus, Return, ReturnStatus
from payments.models import Payment, PaymentState, Refund, RefundState
from products.models import Variant

CACHE_KEY = "backoffice:dashboard"
CACHE_SECONDS = 60
DAYS = 30
# A payment still pending after this is worth a look: the customer may have paid.
PENDING_FOR = timedelta(minutes=15)


def dashboard_figures() -> dict:
    return cache.get_or_set(CACHE_KEY, _figures, CACHE_SECONDS)


def _figures() -> dict:
    today = timezone.localdate()
    first_day = today - timedelta(days=DAYS - 1)
    paid = Order.objects.filter(payment_status=PaymentStatus.PAID)
    # From local midnight of the first day: a range of the (payment status, paid at) index,
    # where `paid_at__date__gte` would compute every paid order's local date first.
    recent = paid.filter(paid_at__gte=timezone.make_aware(datetime.combine(first_day, time.min)))
    by_day = dict(
        recent.annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(amount=Sum("total"))
        .values_list("day", "amount")
    )
    revenue = [
        (first_day + timedelta(days=n), by_day.get(first_day + timedelta(days=n), Decimal("0.00"))) for n in range(DAYS)
    ]
    statuses = dict(Order.objects.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    methods = dict(
        recent.values("payment_method").annotate(amount=Sum("total")).values_list("payment_method", "amount")
    )
    low = (
        Variant.objects.filter(is_active=True, product__is_active=True)
        .filter(stock__lte=Coalesce(F("low_stock_threshold"), settings.LOW_STOCK_THRESHOLD))
        .select_related("product")
        .order_by("stock", "sku")
    )
    return {
        "revenue": revenue,
        "yesterday": revenue[-2][1],
        "today": revenue[-1][1],
        "month": sum((amount for _, amount in revenue), Decimal("0.00")),
        "statuses": {label: statuses.get(value, 0) for value, label in OrderStatus.choices},
        "payment_methods": {label: methods.get(value, Decimal("0.00")) for value, label in PaymentMethod.choices},
        "top_products": list(
            OrderItem.objects.filter(order__payment_status=PaymentStatus.PAID)
            .values("product_id", "product_title")
            .annotate(units=Sum("quantity"), revenue=Sum("line_total"))
            .order_by("-units", "product_title")[:10]
        ),
        "low_stock": list(low[:50]),
        "refunds_due": list(
            Order.objects.filter(payment_status=PaymentStatus.REFUND_PENDING)
            .select_related("user")
            .order_by("updated_at")[:20]
        ),
        # Returns staff must answer (requested) or finish (approved, received).
        "returns_waiting": list(
            Return.objects.filter(status__in=[ReturnStatus.REQUESTED, ReturnStatus.APPROVED, ReturnStatus.RECEIVED])
            .select_related("order")
            .order_by("created_at")[:20]
        ),
        "refunded_month": Refund.objects.filter(
            status=RefundState.SUCCEEDED, completed_at__date__gte=first_day
        ).aggregate(amount=Coalesce(Sum("amount"), Decimal("0.00")))["amount"],
        "pending_payments": list(
            Payment.objects.filter(status=PaymentState.PENDING, created_at__lt=timezone.now() - PENDING_FOR)
            .select_related("order")
            .order_by("created_at")[:20]
        ),
    }
