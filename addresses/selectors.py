from django.db.models import QuerySet

from addresses.models import Address


def address_list(*, user) -> QuerySet[Address]:
    return Address.objects.filter(user=user)


def address_get(*, user, pk: int) -> Address:
    """The user's own address; anyone else's raises Address.DoesNotExist (a 404, never a 403)."""
    return address_list(user=user).get(pk=pk)
