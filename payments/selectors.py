from django.db.models import QuerySet

from payments.models import Payment


def payment_list(*, user) -> QuerySet[Payment]:
    """The user's own payments (through their orders), or every payment for staff."""
    qs = Payment.objects.all()
    return (qs if user.is_staff else qs.filter(order__user=user)).order_by("-created_at", "pk")
