from celery import shared_task


@shared_task
def guest_cart_delete_expired() -> int:
    from cart.services import guest_cart_delete_expired

    return guest_cart_delete_expired()
