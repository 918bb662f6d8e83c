from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def user_password_reset_email_send(self, user_id: int) -> None:
    from users.emails import password_reset_email_send

    try:
        password_reset_email_send(user_id=user_id)
    except OSError as exc:  # SMTP and socket errors
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
