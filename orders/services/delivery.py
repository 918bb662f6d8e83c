"""Delivery methods: staff set them up; at checkout the method chosen must exist, serve the
address, and take cash when the customer pays on delivery."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from addresses.regions import region_canonical
from addresses.snapshots import AddressSnapshot
from ecommerce.common.money import money_display
from ecommerce.common.services import model_update
from ecommerce.common.translations import translations_merge
from orders.exceptions import CashOnDeliveryUnavailable, DeliveryMethodRequired, DeliveryUnavailable
from orders.models import DeliveryMethod, PaymentMethod
from orders.pricing import DELIVERY_COUNTRY, delivery_serves


def delivery_method_choose(*, code: str, address: AddressSnapshot) -> DeliveryMethod | None:
    """The active method `code` for a checkout to `address`, or None when the shop
    has no delivery method at all and so delivers free."""
    active = DeliveryMethod.objects.filter(is_active=True)
    if not code:
        if active.exists():
            raise DeliveryMethodRequired(gettext("Choose a delivery method."))
        return None
    method = active.filter(code=code).first()
    if method is None:
        raise DeliveryUnavailable(
            gettext("There is no delivery method '{code}'.").format(code=code), extra={"delivery_method": code}
        )
    if address.country != DELIVERY_COUNTRY:
        raise DeliveryUnavailable(
            gettext("{method} delivers only within Ethiopia.").format(method=method.name),
            extra={"delivery_method": code},
        )
    if not delivery_serves(method=method, country=address.country, region=address.region, city=address.city):
        raise DeliveryUnavailable(
            gettext("{method} does not deliver to {city}.").format(method=method.name, city=address.city),
            extra={"delivery_method": code},
        )
    return method


def payment_method_check(*, payment_method: str, method: DeliveryMethod | None, total: Decimal) -> None:
    """Cash on delivery needs a method that takes it and a total within COD_MAX_TOTAL."""
    if payment_method != PaymentMethod.CASH_ON_DELIVERY:
        return
    if method is None or not method.cash_on_delivery:
        raise CashOnDeliveryUnavailable(gettext("This delivery method does not take cash on delivery."))
    if total > settings.COD_MAX_TOTAL:
        raise CashOnDeliveryUnavailable(
            gettext("Cash on delivery is available for orders up to {amount}.").format(
                amount=money_display(settings.COD_MAX_TOTAL, settings.SHOP_CURRENCY)
            ),
            extra={"cod_max_total": str(settings.COD_MAX_TOTAL)},
        )


DELIVERY_METHOD_FIELDS = [
    "code",
    "name",
    "kind",
    "regions",
    "cities",
    "fee",
    "free_over",
    "estimated_days_min",
    "estimated_days_max",
    "cash_on_delivery",
    "is_active",
]


def _places(data: dict) -> dict:
    # Regions in their canonical spelling, so that they match addresses; cities as given, tidied.
    if "regions" in data:
        data["regions"] = sorted({region_canonical(name) for name in data["regions"]} - {""})
    if "cities" in data:
        data["cities"] = sorted({" ".join(name.split()) for name in data["cities"]} - {""})
    return data


def delivery_method_create(*, translations: dict | None = None, **fields) -> DeliveryMethod:
    method = DeliveryMethod(**_places(fields))
    method.translations = translations_merge({}, translations or {}, plain={"name": method.name})
    method.full_clean()
    method.save()
    return method


@transaction.atomic
def delivery_method_update(*, method: DeliveryMethod, data: dict) -> DeliveryMethod:
    data = _places(dict(data))
    if "translations" in data:
        plain = {"name": data.get("name", method.name)}
        data["translations"] = translations_merge(method.translations, data["translations"], plain=plain)
    method, _ = model_update(instance=method, fields=[*DELIVERY_METHOD_FIELDS, "translations"], data=data)
    return method
