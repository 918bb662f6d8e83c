from django.db.models import QuerySet

from addresses.models import Address


def address_lock_for_user(*, user_id: int, address_type: str) -> list[Address]:
    """Lock the user's addresses of one type, so that two requests changing the default
    one after the other instead of both clearing and setting it at once."""
    qs: QuerySet[Address] = Address.objects.filter(user_id=user_id, address_type=address_type)
    return list(qs.order_by("pk").select_for_update(of=("self",)))
