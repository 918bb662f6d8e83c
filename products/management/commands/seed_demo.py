from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ecommerce.common.cache import catalog_changed


class Command(BaseCommand):
    help = (
        "Load demo data (staff and customer accounts, categories, products, coupons). "
        "Idempotent: running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            help="Also generate a large catalog of this many products (for benchmarks).",
        )
        parser.add_argument(
            "--variants",
            type=int,
            default=1,
            choices=range(1, 6),
            help="How many sizes each generated product is sold in (1: simple products).",
        )

    def handle(self, *args, products: int, variants: int, **options):
        if products < 0:
            self.stderr.write("--products must be zero or more")
            raise SystemExit(2)
        # Each app that has demo data offers `<app>.demo.seed(stdout=...)`; apps are seeded in
        # INSTALLED_APPS order, so users and the catalog exist before what refers to them.
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.demo") is None:
                continue
            with transaction.atomic():
                import_module(f"{config.name}.demo").seed(stdout=self.stdout, products=products, variants=variants)
        catalog_changed()  # bulk inserts send no signals
        if products and connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses; and the visibility map autovacuum would
            # have made by the time a shop's catalog is read, which lets a list page's ids come
            # from the index alone. VACUUM cannot run in a transaction (a test's, say).
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for table in ("products_product", "products_variant", "products_stockmovement"):
                    cursor.execute(f"{statement} {table}")
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
