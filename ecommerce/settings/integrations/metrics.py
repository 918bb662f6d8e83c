"""/metrics for Prometheus."""

from ecommerce.settings.environment import env

# /metrics (Prometheus) answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, it is a 404.
METRICS_TOKEN = env("METRICS_TOKEN")
# Gauges read from the database at each scrape: metric name -> "app.Model.field" to count rows by.
METRICS_STATUS_GAUGES = {
    "shop_payments": "payments.Payment.status",
    "shop_orders": "orders.Order.status",
}
