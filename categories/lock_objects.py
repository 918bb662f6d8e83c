from categories.models import Category


def category_lock_many(*, ids) -> list[int]:
    """Lock the categories' rows in primary-key order for a change of their maintained counts.
    FOR NO KEY UPDATE: a concurrent product insert holds a key-share lock on its category,
    which this does not wait for (FOR UPDATE would, and two such inserts would deadlock)."""
    return list(
        Category.objects.filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .select_for_update(no_key=True)
        .values_list("pk", flat=True)
    )
