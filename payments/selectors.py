from django.db.models import QuerySet

from ecommerce.common.permissions import staff_can_view
from payments.models import Payment


def payment_list(*, user) -> QuerySet[Payment]:
    """The user's own payments (through their orders), or every payment for staff who may see
    payments."""
    qs = Payment.objects.all()
    return (qs if staff_can_view(user, Payment) else qs.filter(order__user=user)).order_by("-created_at", "pk")
