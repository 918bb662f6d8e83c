from celery import shared_task


@shared_task
def order_expire_overdue() -> int:
    from orders.services import order_expire_overdue

    return order_expire_overdue()
