"""The dashboard's summary: counted again from the orders every minute (a periodic task), in one
transaction, so a reader sees one whole count or the one before it."""

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from backoffice.lock_objects import dashboard_summary_lock
from backoffice.models import DailySales, DashboardSummary, StatusCount, TopProduct
from backoffice.selectors import summary_window
from orders.models import Order, OrderItem, PaymentStatus

TOP_PRODUCTS = 10


@transaction.atomic
def dashboard_summary_refresh() -> DashboardSummary:
    """Count the 30 days' sales, best sellers and orders by status again. Reads only the orders
    of those days (through the (payment status, paid at) and created-at indexes), so its cost
    follows a month's orders, not the shop's history."""
    summary = dashboard_summary_lock()
    _, since = summary_window()
    # From local midnight of the first day: a range of the (payment status, paid at) index,
    # where `paid_at__date__gte` would compute every paid order's local date first.
    paid = Order.objects.filter(payment_status=PaymentStatus.PAID, paid_at__gte=since)
    sales = [
        DailySales(**row)
        for row in paid.annotate(day=TruncDate("paid_at"))
        .values("day", "payment_method")
        .annotate(orders=Count("pk"), revenue=Sum("total"))
        .values("day", "payment_method", "orders", "revenue")
    ]
    best = (
        OrderItem.objects.filter(order__payment_status=PaymentStatus.PAID, order__paid_at__gte=since)
        .values("product_id", "product_title")
        .annotate(units=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-units", "product_title")[:TOP_PRODUCTS]
    )
    statuses = Order.objects.filter(created_at__gte=since).values("status").annotate(orders=Count("pk"))
    for model in (DailySales, TopProduct, StatusCount):
        model.objects.all().delete()
    DailySales.objects.bulk_create(sales)
    TopProduct.objects.bulk_create(TopProduct(rank=n, **row) for n, row in enumerate(best, start=1))
    StatusCount.objects.bulk_create(StatusCount(**row) for row in statuses)
    summary.refreshed_at = timezone.now()
    summary.save(update_fields=["refreshed_at"])
    return summary
