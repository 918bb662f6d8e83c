from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from ecommerce.outbox.sms_sandbox.server import serve


class Command(BaseCommand):
    help = (
        "Run the built-in SMS gateway sandbox where SMS_BASE_URL points, accepting SMS_API_TOKEN. "
        "Does nothing when a real SMS_API_TOKEN is configured."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", help="interface to listen on (default: the host of SMS_BASE_URL)")

    def handle(self, *args, host=None, **options):
        if not settings.SMS_SANDBOX:
            self.stdout.write("SMS_API_TOKEN is set: SMS go to the real gateway, no sandbox is started.")
            return
        base = urlsplit(settings.SMS_BASE_URL)
        serve(host=host or base.hostname, port=base.port or 80, token=settings.SMS_API_TOKEN)
