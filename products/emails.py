"""Stock e-mails to staff, queued in the outbox in the transaction that changes the stock and
written when sent, in each staff member's language (ecommerce.outbox.kinds)."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext

from ecommerce.common.dates import date_display
from ecommerce.outbox.kinds import email_kind_register
from ecommerce.outbox.services import email_enqueue
from products.models import Variant

STOCK_LOW = "products/email/stock_low"


def _staff():
    return get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="").order_by("email")


def _queue(*, variants: list[Variant], digest: str, key: str) -> None:
    """`digest` is the day of the daily list, or "" for an alert."""
    # The stock each variant stood at, as the e-mail tells it even if more sells meanwhile.
    context = {"variants": [[variant.pk, variant.stock] for variant in variants], "digest": digest}
    for staff in _staff():
        email_enqueue(
            to=staff.email, language=staff.language, template=STOCK_LOW, context=context, key=f"{key}:{staff.email}"
        )


def stock_low_email(*, variants: list[Variant], key: str) -> None:
    """Tell staff that these variants just fell to their low-stock threshold."""
    _queue(variants=variants, digest="", key=key)


def stock_low_digest_email(*, day: date) -> int:
    """The daily list of every variant for sale at or below its threshold; returns how many."""
    low = list(
        Variant.objects.filter(is_active=True, product__is_active=True)
        .select_related("product")
        .filter(stock__lte=Coalesce(F("low_stock_threshold"), settings.LOW_STOCK_THRESHOLD))
        .order_by("stock", "sku")
    )
    if low:
        _queue(variants=low, digest=day.isoformat(), key=f"stock-digest:{day.isoformat()}")
    return len(low)


def _stock_low(values: dict) -> tuple[str, dict]:
    found = Variant.objects.select_related("product").in_bulk([pk for pk, _ in values["variants"]])
    variants = []
    for pk, stock in values["variants"]:
        if pk in found:  # a variant deleted since is left out
            found[pk].stock = stock
            variants.append(found[pk])
    day = values["digest"]
    if day:
        subject = ngettext(
            "Low stock on {day}: {count} variant", "Low stock on {day}: {count} variants", len(variants)
        ).format(day=date_display(date.fromisoformat(day)), count=len(variants))
    else:
        subject = gettext("Running low: {skus}").format(skus=", ".join(variant.sku for variant in variants))
    return subject, {"variants": variants, "digest": bool(day)}


def stock_email_kinds_register() -> None:
    email_kind_register(STOCK_LOW, _stock_low)
