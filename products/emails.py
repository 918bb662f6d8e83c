"""Stock e-mails to staff, queued in the outbox in the transaction that changes the stock."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ecommerce.common.dates import date_display
from ecommerce.outbox.services import email_enqueue
from products.models import Variant


def _staff_addresses() -> list[str]:
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted(staff.values_list("email", flat=True))


def stock_low_email(*, variants: list[Variant], key: str) -> None:
    """Tell staff that these variants just fell to their low-stock threshold."""
    for address in _staff_addresses():
        email_enqueue(
            to=address,
            subject=format_lazy(_("Running low: {skus}"), skus=", ".join(v.sku for v in variants)),
            template="products/email/stock_low",
            context={"variants": variants, "digest": False},
            key=f"{key}:{address}",
        )


def stock_low_digest_email(*, day: date) -> int:
    """The daily list of every variant for sale at or below its threshold; returns how many."""
    low = list(
        Variant.objects.filter(is_active=True, product__is_active=True)
        .select_related("product")
        .filter(stock__lte=Coalesce(F("low_stock_threshold"), settings.LOW_STOCK_THRESHOLD))
        .order_by("stock", "sku")
    )
    if low:
        subject = ngettext_lazy("Low stock on {day}: {count} variant", "Low stock on {day}: {count} variants", len(low))
        for address in _staff_addresses():
            email_enqueue(
                to=address,
                subject=format_lazy(subject, day=date_display(day), count=len(low)),
                template="products/email/stock_low",
                context={"variants": low, "digest": True},
                key=f"stock-digest:{day.isoformat()}:{address}",
            )
    return len(low)
