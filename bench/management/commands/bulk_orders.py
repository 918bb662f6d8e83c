"""Bulk-load N orders for the back-office benchmark (bench/backoffice.py): each with its lines,
its events, a payment and the stock ledger's rows, spread over the last year, as a busy shop's
database holds them. Written by PostgreSQL itself (INSERT ... SELECT over generate_series in one
transaction, foreign-key triggers off for it), so a million orders take minutes, not hours.

Not a way to make real orders (those go through checkout and the order services): the rows
obey the database's constraints and the legal (status, payment status) pairs, but stock levels
are not drawn down and no e-mail or task is queued.

    DJANGO_SETTINGS_MODULE=bench.settings python manage.py bulk_orders 1000000
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from backoffice.services import dashboard_summary_refresh

# One order in this many buys the busy variant (the first one on sale): its ledger page is
# the one measured.
BUSY_EVERY = 20
CUSTOMERS_PER_ORDER = 10  # a customer places ten orders, on average

STEPS = [
    (
        "customers",
        """
        INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                is_active, date_joined, phone, token_version, language, sms_notifications,
                                phone_verified)
        SELECT '!', false, 'bulk' || %(offset)s || '-' || c, 'Customer', c::text,
               'bulk' || %(offset)s || '-' || c || '@bench.test', false, true,
               now() - interval '400 days', '09' || lpad(c::text, 8, '0'), 0, 'en', true, false
        FROM generate_series(1, %(customers)s) c
        """,
    ),
    (
        "plan",
        """
        CREATE TEMP TABLE bulk_variant ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY v.id) AS rn, v.id, v.product_id, v.sku, p.title, p.price
        FROM products_variant v JOIN products_product p ON p.id = v.product_id
        WHERE v.is_active AND p.is_active;

        CREATE TEMP TABLE bulk_customer ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) AS rn, id, phone FROM users_user WHERE username LIKE 'bulk%%';

        -- n = 1 is the newest order, and each is a year / N older than the one before.
        CREATE TEMP TABLE bulk_order ON COMMIT DROP AS
        SELECT n, gen_random_uuid() AS id,
               translate(upper(lpad(to_hex(%(offset)s + n), 8, '0')), '0123456789ABCDEF', '23456789ABCDEFGH')
                   AS number,
               now() - (n * interval '365 days' / %(orders)s) AS created_at,
               CASE WHEN n %% 10 < 7 THEN 'delivered' WHEN n %% 10 = 7 THEN 'shipped'
                    WHEN n %% 10 = 8 THEN 'cancelled' ELSE 'pending' END AS status,
               CASE WHEN n %% 10 < 8 THEN 'paid' ELSE 'unpaid' END AS payment_status,
               CASE WHEN n %% 5 = 0 THEN 'cash_on_delivery' ELSE 'chapa' END AS payment_method,
               (SELECT count(*) FROM bulk_customer) AS customers
        FROM generate_series(1, %(orders)s) n;

        CREATE TEMP TABLE bulk_item ON COMMIT DROP AS
        SELECT o.n, o.id AS order_id, o.created_at, o.status, k, v.id AS variant_id, v.product_id, v.sku,
               v.title, v.price, 1 + (o.n + k) %% 2 AS quantity
        FROM bulk_order o
        CROSS JOIN LATERAL generate_series(1, 1 + o.n %% 3) k
        JOIN bulk_variant v ON v.rn = CASE WHEN k = 1 AND o.n %% %(busy)s = 0 THEN 1
                                           ELSE 1 + (o.n * 7 + k * 13) %% (SELECT count(*) FROM bulk_variant) END;
        """,
    ),
    (
        "orders",
        """
        INSERT INTO orders_order (created_at, updated_at, id, number, status, payment_status, subtotal,
            discount_amount, total, currency, coupon_code, shipping_address, billing_address, notes,
            expires_at, stock_reserved, idempotency_fingerprint, user_id, paid_at, delivery, delivery_fee,
            payment_method, vat_amount)
        SELECT o.created_at, o.created_at + interval '2 days', o.id, o.number, o.status, o.payment_status,
               t.subtotal, 0, t.subtotal + 150, 'ETB', '', a.address, a.address, '',
               CASE WHEN o.status = 'pending' THEN o.created_at + interval '30 minutes' END,
               o.status <> 'cancelled', '', c.id,
               CASE WHEN o.payment_status = 'paid' THEN o.created_at + interval '5 minutes' END,
               '{"method": "addis-ababa-courier", "name": "Addis Ababa courier", "kind": "courier"}', 150,
               o.payment_method, round((t.subtotal + 150) * 0.15 / 1.15, 2)
        FROM bulk_order o
        JOIN (SELECT order_id, sum(price * quantity) AS subtotal FROM bulk_item GROUP BY order_id) t
          ON t.order_id = o.id
        JOIN bulk_customer c ON c.rn = 1 + o.n %% o.customers
        CROSS JOIN LATERAL (SELECT jsonb_build_object(
            'full_name', 'Customer ' || c.rn, 'phone', c.phone, 'line1', 'Bole Road ' || c.rn, 'line2', '',
            'city', 'Addis Ababa', 'region', 'Addis Ababa', 'postal_code', '', 'country', 'ET') AS address) a
        """,
    ),
    (
        "lines",
        """
        INSERT INTO orders_orderitem (product_title, unit_price, quantity, line_total, order_id, product_id, sku,
                                      variant_id, variant_options)
        SELECT title, price, quantity, price * quantity, order_id, product_id, sku, variant_id, '{}'
        FROM bulk_item ORDER BY n DESC, k
        """,
    ),
    (
        "events",
        """
        INSERT INTO orders_orderevent (from_status, status, note, created_at, order_id, type, payment_status,
                                       parameters)
        SELECT e.from_status, e.status, '', o.created_at + e.after, o.id, e.type, e.payment_status, '{}'
        FROM bulk_order o
        CROSS JOIN LATERAL (VALUES
            (1, '', 'pending', 'placed', 'unpaid', interval '0'),
            (2, 'pending', 'confirmed', 'payment_succeeded', 'paid', interval '5 minutes'),
            (3, 'confirmed', o.status, 'status_changed', 'paid', interval '2 days'),
            (4, 'pending', 'cancelled', 'cancelled', 'unpaid', interval '30 minutes')
        ) e(step, from_status, status, type, payment_status, after)
        WHERE e.step = 1 OR (e.step IN (2, 3) AND o.payment_status = 'paid') OR (e.step = 4 AND o.status = 'cancelled')
        ORDER BY o.n DESC, e.step
        """,
    ),
    (
        "payments",
        """
        INSERT INTO payments_payment (created_at, updated_at, id, tx_ref, amount, currency, status, checkout_url,
            chapa_reference, failure_reason, verified_at, order_id, applied, method, note, reference)
        SELECT o.created_at, o.updated_at, gen_random_uuid(), 'bulk-' || o.number, o.total, 'ETB',
               CASE WHEN o.payment_status = 'paid' THEN 'success' WHEN o.status = 'cancelled' THEN 'cancelled'
                    ELSE 'pending' END,
               '', '', '', CASE WHEN o.payment_status = 'paid' THEN o.paid_at END, o.id,
               o.payment_status = 'paid', CASE WHEN o.payment_method = 'chapa' THEN 'chapa' ELSE 'cash' END, '', ''
        FROM orders_order o JOIN bulk_order b ON b.id = o.id
        WHERE o.payment_method = 'chapa' OR o.payment_status = 'paid'
        ORDER BY o.created_at
        """,
    ),
    (
        "ledger",
        """
        INSERT INTO products_stockmovement (delta, stock_after, reason, order_id, created_at, variant_id)
        SELECT -quantity, 500, 'checkout', order_id, created_at, variant_id FROM bulk_item
        UNION ALL
        SELECT quantity, 500, 'cancel', order_id, created_at + interval '30 minutes', variant_id
        FROM bulk_item WHERE status = 'cancelled'
        ORDER BY created_at
        """,
    ),
]


class Command(BaseCommand):
    help = "Bulk-load N orders with lines, events, payments and ledger rows (benchmarks only; PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("orders", type=int)

    def handle(self, *args, orders: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bulk_orders writes with PostgreSQL's own functions: run it on PostgreSQL.")
        if orders < 1:
            raise CommandError("the number of orders must be at least 1")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM products_variant WHERE is_active")
            if not cursor.fetchone()[0]:
                raise CommandError("no variants to sell: seed a catalog first (seed_demo --products N)")
            cursor.execute("SELECT count(*) FROM orders_order")
            offset = cursor.fetchone()[0]
        params = {
            "orders": orders,
            "customers": max(1, orders // CUSTOMERS_PER_ORDER),
            "offset": 0x10000000 + offset,  # numbers of eight characters, after the ones already there
            "busy": BUSY_EVERY,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            # The rows are made consistent here; checking each foreign key row by row would
            # take most of the time (constraints and unique indexes still hold).
            cursor.execute("SET LOCAL session_replication_role = replica")
            for name, statements in STEPS:
                started = time.monotonic()
                for statement in filter(str.strip, statements.split(";")):
                    cursor.execute(statement, params)
                self.stdout.write(f"  {name}: {time.monotonic() - started:.1f}s")
        with connection.cursor() as cursor:
            for table in ("orders_order", "orders_orderitem", "orders_orderevent", "payments_payment"):
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("VACUUM ANALYZE products_stockmovement")
        started = time.monotonic()
        dashboard_summary_refresh()  # as the periodic task would within a minute
        self.stdout.write(f"  dashboard summary: {time.monotonic() - started:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"{orders} orders loaded."))
