from django.db import models
from django.utils.text import slugify


def unique_slug(*, model: type[models.Model], value: str, exclude_pk=None, fallback: str) -> str:
    """A slug made from `value` that no other row of `model` has: `name`, `name-2`, `name-3`..."""
    max_length = model._meta.get_field("slug").max_length
    base = (slugify(value, allow_unicode=True) or fallback)[: max_length - 8].strip("-") or fallback
    qs = model._default_manager.all()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    taken = set(qs.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
