"""Print the PostgreSQL plans of the shop's main queries, exactly as the code issues them.

Each case runs the real selector or service query under Django's query capture, then runs
EXPLAIN (ANALYZE, BUFFERS) on every SELECT it captured, inside a transaction that is rolled back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_bench_100000 python -m bench.explain
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecommerce.settings.local")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from categories.selectors import category_list  # noqa: E402
from orders.models import Order, OrderStatus  # noqa: E402
from products.lock_objects import product_lock_many  # noqa: E402
from products.models import Product  # noqa: E402
from products.selectors import product_get, product_list  # noqa: E402


def page(filters: dict):
    def run():
        qs = product_list(filters=filters)
        qs.count()
        list(qs[:20])

    return run


def some_category() -> int:
    return Product.objects.filter(is_active=True).values_list("category_id", flat=True).order_by("-pk").first()


CASES = {
    "product list, newest first (count + page)": page({}),
    "product list by category (count + page)": lambda: page({"category__id": str(some_category())})(),
    "product list, search 'blender' (count + page)": page({"search": "blender"}),
    "product list, search 'lamp 12' (count + page)": page({"search": "lamp 12"}),
    "product list, cheapest first in stock (count + page)": page({"ordering": "price", "in_stock": "true"}),
    "product detail": lambda: product_get(pk=Product.objects.order_by("-pk").values_list("pk", flat=True).first()),
    "category list with product counts": lambda: list(category_list()[:20]),
    "checkout: lock three products in primary-key order": lambda: product_lock_many(
        ids=list(Product.objects.order_by("pk").values_list("pk", flat=True)[:3])
    ),
    "expiry sweep: overdue pending orders": lambda: list(
        Order.objects.filter(
            status=OrderStatus.PENDING, expires_at__lt=timezone.now() - timedelta(minutes=1)
        ).values_list("pk", flat=True)
    ),
}


def main() -> None:
    assert connection.vendor == "postgresql", "point DATABASE_URL at PostgreSQL"
    print(f"products: {Product.objects.count()}, orders: {Order.objects.count()}\n")
    for title, run in CASES.items():
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                run()
            print(f"### {title}\n")
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"```\n{sql[:300]}{' …' if len(sql) > 300 else ''}\n\n{plan}\n```\n")
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
