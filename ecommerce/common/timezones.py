"""The API answers in UTC, whatever the shop's local time is.

TIME_ZONE is the time people read (e-mails, PDFs, exports, the admin: see ecommerce.common.dates,
which formats in it whatever zone is active). A timestamp in the API is for programs: it stays
UTC ("2026-12-01T21:30:00Z"), as it was before the shop had a local time, and a naive time sent
to the API is read as UTC."""

from datetime import UTC

from django.utils import timezone

API_PREFIX = "/api/"


class ApiUtcMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        with timezone.override(UTC):
            return self.get_response(request)
