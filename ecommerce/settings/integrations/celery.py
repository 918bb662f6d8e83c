"""Celery: the broker, how tasks run, and the periodic jobs."""

from celery.schedules import crontab

from ecommerce.settings.environment import env

# Celery: RabbitMQ when CELERY_BROKER_URL is set; otherwise tasks run inline in the web process.
CELERY_TASK_ALWAYS_EAGER = env("CELERY_BROKER_URL") is None
# Without one, a broker URL that names no server: inline tasks open no connection (see
# ecommerce/celery.py), and the readiness check reports the broker as not configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing a task never waits on a dead broker: the outbox and the periodic tasks catch up.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "shop")
CELERY_BEAT_SCHEDULE = {
    "orders-expire-overdue": {"task": "orders.tasks.order_expire_overdue", "schedule": 60.0},
    # Sign-in codes older than the longest limit they count for (a day), and their numbers.
    "users-otp-sweep": {"task": "users.tasks.otp_sweep", "schedule": 3600.0},
    "payments-reconcile-pending": {"task": "payments.tasks.payment_reconcile_pending", "schedule": 300.0},
    "cart-guest-expired-delete": {"task": "cart.tasks.guest_cart_delete_expired", "schedule": 3600.0},
    "outbox-flush": {"task": "ecommerce.outbox.tasks.outbox_flush", "schedule": 60.0},
    # The dashboard's sales figures are at most this old (plus one count's time) when read.
    "backoffice-dashboard-summary-refresh": {"task": "backoffice.tasks.dashboard_summary_refresh", "schedule": 60.0},
    # At 06:00 local time (CELERY_TIMEZONE is TIME_ZONE): the list is waiting when the shop opens.
    "products-stock-low-digest": {"task": "products.tasks.stock_low_digest", "schedule": crontab(hour=6, minute=0)},
}
