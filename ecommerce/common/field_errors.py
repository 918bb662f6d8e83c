from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError


class FieldErrors:
    """The field errors of a service's several checks, raised together: a bad phone and a bad
    region come back in one 400, not one per attempt.

        errors = FieldErrors()
        with errors.check():
            phone = normalized_phone(phone)
        with errors.check():
            region = region_canonical(region)
        errors.raise_any()
    """

    def __init__(self):
        self._errors: dict[str, list] = {}

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except ValidationError as exc:
            self._errors = exc.update_error_dict(self._errors)

    @property
    def fields(self) -> list[str]:
        """The fields already in error, for `full_clean(exclude=...)` not to say them twice."""
        return list(self._errors)

    def raise_any(self) -> None:
        if self._errors:
            raise ValidationError(self._errors)
