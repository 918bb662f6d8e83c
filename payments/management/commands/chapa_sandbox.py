from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from payments.sandbox.server import serve


class Command(BaseCommand):
    help = (
        "Run the built-in Chapa sandbox where CHAPA_BASE_URL points, sending signed webhooks to this "
        "shop. Does nothing when a real CHAPA_SECRET_KEY is configured."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", help="interface to listen on (default: the host of CHAPA_BASE_URL)")

    def handle(self, *args, host=None, **options):
        if not settings.CHAPA_SANDBOX:
            self.stdout.write("CHAPA_SECRET_KEY is set: payments go to the real Chapa, no sandbox is started.")
            return
        base = urlsplit(settings.CHAPA_BASE_URL)
        serve(
            host=host or base.hostname,
            port=base.port or 80,
            webhook_url=settings.SITE_URL.rstrip("/") + reverse("payments:webhook"),
            webhook_secret=settings.CHAPA_WEBHOOK_SECRET,
        )
