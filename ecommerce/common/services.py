from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, models, transaction


def model_update(*, instance: models.Model, fields: list[str], data: dict[str, Any]) -> tuple[models.Model, bool]:
    """Set the given `fields` that appear in `data`, validate and save only what changed.

    Returns the instance and whether anything was saved.
    """
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        instance.full_clean()
        if any(f.name == "updated_at" for f in instance._meta.get_fields()):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return instance, bool(changed)


@contextmanager
def unique_race_as_validation_error(
    instance: models.Model, *, recheck: Callable[[], None] | None = None
) -> Iterator[None]:
    """Save `instance` inside this block; when a concurrent request took one of its unique
    values between our checks and our INSERT or UPDATE, answer as if it had been first.

    The unique constraint refuses the second row with an IntegrityError. By then the winner has
    committed, so the checks made before saving see it now and raise the same field error (a
    400) that a request arriving a moment later gets: the service's own `recheck`, then
    Django's. Any other IntegrityError goes on as it was.
    """
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            yield
    except IntegrityError:
        if recheck is not None:
            recheck()
        instance.validate_unique()
        instance.validate_constraints()
        raise
