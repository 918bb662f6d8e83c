from orders.models import DocumentCounter, Order


def order_lock(*, pk) -> Order:
    """Lock one order's row: every status change holds it, so a cancel racing the expiry task
    or a payment confirmation is applied once."""
    return Order.objects.select_for_update(of=("self",)).get(pk=pk)


def document_counter_lock(*, name: str) -> DocumentCounter:
    """Lock one sequence's counter row until the caller's transaction ends: whoever takes the
    next number waits here for the one before to commit or roll back."""
    return DocumentCounter.objects.select_for_update(of=("self",)).get(name=name)
