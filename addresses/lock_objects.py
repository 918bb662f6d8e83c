from django.db.models import QuerySet

from addresses.models import Address


def address_lock_for_user(*, user_id: int, address_type: str) -> list[Address]:
    """Lock the user's addresses of one type, so that two requests changing the default
    one after the other instead of both clearing and setting it at once."""
    qs: QuerySet[Address] = Address.objects.filter(user_id=user_id, address_type=address_type)
    return list(qs.order_by("pk").select_for_update(of=("self",)))


def address_owner_lock(*, user_id: int) -> None:
    """Lock the user's row: serialises a user's address changes even before any address exists
    to lock (the first address and its default, the per-user limit)."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.select_for_update().filter(pk=user_id).first()
