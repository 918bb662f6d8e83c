from payments.models import Payment, Refund


def payment_lock(*, pk) -> Payment:
    """Lock one payment row: concurrent verifications of it apply their result once."""
    return Payment.objects.select_for_update(of=("self",)).select_related("order").get(pk=pk)


def refund_lock(*, pk) -> Refund:
    """Lock one refund row: its outcome (done, failed) is applied once."""
    return Refund.objects.select_for_update(of=("self",)).select_related("payment", "return_request").get(pk=pk)
