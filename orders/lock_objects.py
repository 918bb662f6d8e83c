from orders.models import Order


def order_lock(*, pk) -> Order:
    """Lock one order's row: every status change holds it, so a cancel racing the expiry task
    or a payment confirmation is applied once."""
    return Order.objects.select_for_update(of=("self",)).get(pk=pk)
