"""The dashboard's sales figures, counted by `dashboard_summary_refresh` every minute from the
orders of the last 30 days, so that loading the front page reads a few dozen small rows however
many orders the shop has ever had (docs/scaling.md, "The dashboard's summary")."""

from django.db import models

from orders.models import OrderStatus, PaymentMethod


class DashboardSummary(models.Model):
    """The one row saying when the figures below were last counted; its lock lets one count run
    at a time."""

    refreshed_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"counted at {self.refreshed_at}"


class DailySales(models.Model):
    """Paid orders of one local day (by when they were paid) and one payment method."""

    day = models.DateField()
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    orders = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "payment_method"], name="daily_sales_day_method_uniq")]

    def __str__(self):
        return f"{self.day} {self.payment_method}: {self.revenue}"


class TopProduct(models.Model):
    """One of the ten products that sold the most units in the paid orders of the 30 days."""

    rank = models.PositiveSmallIntegerField(unique=True)
    # The order line's copy, not a foreign key: a product taken out of the catalog still sold.
    product_id = models.BigIntegerField(null=True)
    product_title = models.CharField(max_length=200)
    units = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["rank"]

    def __str__(self):
        return f"{self.rank}. {self.product_title}"


class StatusCount(models.Model):
    """How many of the orders placed in the 30 days are in one status now."""

    status = models.CharField(max_length=16, choices=OrderStatus.choices, unique=True)
    orders = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.status}: {self.orders}"
