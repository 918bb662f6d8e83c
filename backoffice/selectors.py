"""The dashboard's figures: a fixed handful of small queries however many orders there are. The
sales, best sellers and orders by status come from the summary counted every minute
(backoffice/services.py); the lists to act on (running low, refunds due, payments left pending)
are read live."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from backoffice.models import DailySales, DashboardSummary, StatusCount, TopProduct
from orders.models import Order, OrderStatus, PaymentMethod, PaymentStatus, Return, ReturnStatus
from payments.models import Payment, PaymentState, Refund, RefundState
from products.models import Variant

DAYS = 30
# A payment still pending after this is worth a look: the customer may have paid.
PENDING_FOR = timedelta(minutes=15)


def summary_window() -> tuple[date, datetime]:
    """The first of the 30 local days ending today, and the moment it began."""
    first_day = timezone.localdate() - timedelta(days=DAYS - 1)
    return first_day, timezone.make_aware(datetime.combine(first_day, time.min))


def dashboard_figures() -> dict:
    first_day, _ = summary_window()
    summary = DashboardSummary.objects.filter(pk=1).first()
    by_day, methods = defaultdict(lambda: Decimal("0.00")), defaultdict(lambda: Decimal("0.00"))
    for row in DailySales.objects.filter(day__gte=first_day):
        by_day[row.day] += row.revenue
        methods[row.payment_method] += row.revenue
    revenue = [(first_day + timedelta(days=n), by_day[first_day + timedelta(days=n)]) for n in range(DAYS)]
    statuses = dict(StatusCount.objects.values_list("status", "orders"))
    low = (
        Variant.objects.filter(is_active=True, product__is_active=True)
        .filter(stock__lte=Coalesce(F("low_stock_threshold"), settings.LOW_STOCK_THRESHOLD))
        .select_related("product")
        .order_by("stock", "sku")
    )
    return {
        "refreshed_at": summary.refreshed_at if summary else None,
        "revenue": revenue,
        "yesterday": revenue[-2][1],
        "today": revenue[-1][1],
        "month": sum((amount for _, amount in revenue), Decimal("0.00")),
        "statuses": {label: statuses.get(value, 0) for value, label in OrderStatus.choices},
        "payment_methods": {label: methods[value] for value, label in PaymentMethod.choices},
        "top_products": list(TopProduct.objects.values("product_id", "product_title", "units", "revenue")),
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
