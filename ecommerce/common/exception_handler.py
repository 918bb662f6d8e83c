"""One place that turns every error into DRF's JSON shape (HackSoft's "approach 2")."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, connection
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from ecommerce.common.exceptions import ApplicationError, ConflictError, ServiceUnavailable, TooManyRequests

logger = logging.getLogger(__name__)
DATABASE_UNAVAILABLE = _("The shop cannot reach its database right now; nothing was changed. Try again shortly.")
TOO_DEEP = _("The request is nested too deeply to process.")
PROTECTED = _("This object is still referenced by other records and cannot be deleted.")


def custom_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = ConflictError(PROTECTED, code="protected")
    elif isinstance(exc, (OperationalError, InterfaceError)):
        # The connection dropped or the server is down: the transaction went with it, so
        # nothing was half-written. Say so, instead of a 500.
        logger.error("database unavailable: %s", exc.__class__.__name__, exc_info=True)
        connection.close_if_unusable_or_obsolete()
        exc = ServiceUnavailable(DATABASE_UNAVAILABLE)
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF puts the wait into its message before looking it up, so no catalogue has it.
        detail = ngettext(
            "Request was throttled. Expected available in {wait} second.",
            "Request was throttled. Expected available in {wait} seconds.",
            exc.wait,
        )
        exc.detail = exceptions.ErrorDetail(detail.format(wait=exc.wait), exc.default_code)
    elif isinstance(exc, RecursionError):
        # Input nested deeper than the code that walks it (the JSON parser bounds its bodies;
        # this covers any other path, such as a webhook body decoded by hand).
        exc = exceptions.ParseError(TOO_DEEP)

    if isinstance(exc, ApplicationError):
        set_rollback()
        response = Response({"detail": exc.message, "code": exc.code, **exc.extra}, status=exc.status_code)
        if exc.status_code == 503:
            response["Retry-After"] = "5"
        elif isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(exc.retry_after)
        return response

    return exception_handler(exc, context)
