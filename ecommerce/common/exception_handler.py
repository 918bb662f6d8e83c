"""One place that turns every error into DRF's JSON shape (HackSoft's "approach 2")."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from ecommerce.common.exceptions import ApplicationError, ConflictError


def custom_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = ConflictError(
            "This object is still referenced by other records and cannot be deleted.",
            code="protected",
        )

    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response({"detail": exc.message, "code": exc.code, **exc.extra}, status=exc.status_code)

    return exception_handler(exc, context)
