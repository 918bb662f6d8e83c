from orders.models import DocumentCounter, Order, Return


def order_lock(*, pk) -> Order:
    """Lock one order's row: every status change holds it, so a cancel racing the expiry task
    or a payment confirmation is applied once."""
    return Order.objects.select_for_update(of=("self",)).get(pk=pk)


def return_lock(*, pk) -> Return:
    """Lock a return and, first, its order: every move of a return and every refund of the order
    queue on the order's row, so checks across returns (units left, money left) see the others."""
    order_id = Return.objects.values_list("order_id", flat=True).get(pk=pk)
    order_lock(pk=order_id)
    return Return.objects.select_for_update(of=("self",)).select_related("order").get(pk=pk)


def document_counter_lock(*, name: str) -> DocumentCounter:
    """Lock one sequence's counter row until the caller's transaction ends: whoever takes the
    next number waits here for the one before to commit or roll back."""
    return DocumentCounter.objects.select_for_update(of=("self",)).get(name=name)
