from celery import shared_task


@shared_task
def otp_sweep() -> int:
    from users.services import otp_sweep

    return otp_sweep()
