from payments.models import Payment


def payment_lock(*, pk) -> Payment:
    """Lock one payment row: concurrent verifications of it apply their result once."""
    return Payment.objects.select_for_update(of=("self",)).select_related("order").get(pk=pk)
