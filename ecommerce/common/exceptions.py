"""Business errors raised by services. Each carries a stable machine-readable `code`."""

from typing import Any


class ApplicationError(Exception):
    status_code = 400
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The request is valid but conflicts with the current state (stock, status, references)."""

    status_code = 409
    default_code = "conflict"


class ServiceUnavailable(ApplicationError):
    status_code = 503
    default_code = "service_unavailable"


class TooManyRequests(ApplicationError):
    """A limit of the business (not a client's request rate): answered 429 with Retry-After."""

    status_code = 429
    default_code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message, code=code, extra=extra)
        self.retry_after = max(1, int(retry_after))
