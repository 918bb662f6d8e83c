from celery import shared_task

from payments import services
from payments.exceptions import PaymentGatewayError


@shared_task(bind=True, max_retries=6)
def payment_verify(self, payment_id: str) -> str:
    """Verify a payment after a webhook or callback; retried with backoff while Chapa is down."""
    try:
        return services.payment_verify(payment_id=payment_id).status
    except PaymentGatewayError as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task
def payment_reconcile_pending() -> dict:
    return services.payment_reconcile_pending()
