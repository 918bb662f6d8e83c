from orders.tests.factories import place_order
from payments.services import payment_initiate


def initiated_payment(*, user, **order_kwargs):
    """A customer's order with an open Chapa payment (initialized in the sandbox)."""
    order = place_order(user=user, **order_kwargs)
    payment, _ = payment_initiate(order_id=order.pk)
    return payment
