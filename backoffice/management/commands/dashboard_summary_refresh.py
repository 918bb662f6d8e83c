from django.core.management.base import BaseCommand

from backoffice.services import dashboard_summary_refresh


class Command(BaseCommand):
    help = (
        "Count the dashboard's sales figures now (the periodic task does it every minute): after"
        " a deploy, or after orders were loaded in bulk."
    )

    def handle(self, *args, **options):
        summary = dashboard_summary_refresh()
        self.stdout.write(self.style.SUCCESS(f"Dashboard figures counted at {summary.refreshed_at:%Y-%m-%d %H:%M:%S}."))
