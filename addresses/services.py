import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from addresses.lock_objects import address_lock_for_user, address_owner_lock
from addresses.models import Address
from addresses.regions import region_canonical
from addresses.snapshots import ADDRESS_SNAPSHOT_FIELDS
from ecommerce.common.field_errors import FieldErrors
from ecommerce.common.services import model_update
from ecommerce.common.validators import normalize_ethiopian_phone

MAX_ADDRESSES_PER_USER = 20
TOO_MANY_ADDRESSES = format_lazy(
    _("You can keep at most {count} addresses; delete one first."), count=MAX_ADDRESSES_PER_USER
)
PHONE_INVALID_INTERNATIONAL = _("Enter the phone number in international form, e.g. +442071234567.")
ADDRESS_FIELDS = ["address_type", *ADDRESS_SNAPSHOT_FIELDS, "is_default"]


def _normalized_phone(phone: str, country: str) -> str:
    """Ethiopian numbers are normalised to the 10-digit form that Chapa and couriers use;
    other countries need an international number."""
    if str(country) == "ET":
        return normalize_ethiopian_phone(phone, field="phone")
    compact = re.sub(r"[\s\-()]", "", phone)
    if not re.fullmatch(r"\+[1-9]\d{6,14}", compact):
        raise ValidationError({"phone": [PHONE_INVALID_INTERNATIONAL]})
    return compact


def _normalized_region(region: str, country: str) -> str:
    # Delivery methods match addresses by region, so Ethiopian ones must name a real one.
    return region_canonical(region) if str(country) == "ET" else region.strip()


def _take_default(*, user_id: int, address_type: str, pk: int | None) -> bool:
    """Lock the user's addresses of this type and clear the current default (other than `pk`).
    Returns whether there was one."""
    siblings = [a for a in address_lock_for_user(user_id=user_id, address_type=address_type) if a.pk != pk]
    defaults = [a.pk for a in siblings if a.is_default]
    Address.objects.filter(pk__in=defaults).update(is_default=False)
    return bool(defaults)


def _has_default(*, user_id: int, address_type: str) -> bool:
    return any(a.is_default for a in address_lock_for_user(user_id=user_id, address_type=address_type))


@transaction.atomic
def address_create(*, user, is_default: bool = False, **fields) -> Address:
    address_owner_lock(user_id=user.pk)
    if Address.objects.filter(user=user).count() >= MAX_ADDRESSES_PER_USER:
        raise ValidationError(TOO_MANY_ADDRESSES)
    address = Address(user=user, **fields)
    errors = FieldErrors()
    with errors.check():
        address.phone = _normalized_phone(address.phone, address.country)
    with errors.check():
        address.region = _normalized_region(address.region, address.country)
    errors.raise_any()
    if is_default:
        _take_default(user_id=user.pk, address_type=address.address_type, pk=None)
    # The first address of a type becomes its default, so checkout has one to offer.
    address.is_default = is_default or not _has_default(user_id=user.pk, address_type=address.address_type)
    address.full_clean()
    address.save()
    return address


@transaction.atomic
def address_update(*, address: Address, data: dict) -> Address:
    address_owner_lock(user_id=address.user_id)
    data = dict(data)
    country = data.get("country", address.country)
    errors = FieldErrors()
    if "phone" in data or "country" in data:
        with errors.check():
            data["phone"] = _normalized_phone(data.get("phone", address.phone), country)
    if "region" in data or "country" in data:
        with errors.check():
            data["region"] = _normalized_region(data.get("region", address.region), country)
    errors.raise_any()
    address_type = data.get("address_type", address.address_type)
    if data.get("is_default", address.is_default):
        _take_default(user_id=address.user_id, address_type=address_type, pk=address.pk)
    address, _ = model_update(instance=address, fields=ADDRESS_FIELDS, data=data)
    return address


@transaction.atomic
def address_delete(*, address: Address) -> None:
    address.delete()
