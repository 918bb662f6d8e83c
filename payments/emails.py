"""Payment e-mails, queued in the outbox in the transaction that records the payment's result and
written when sent, in the customer's language (ecommerce.outbox.kinds)."""

from django.utils.translation import gettext

from ecommerce.outbox.kinds import email_kind_register
from ecommerce.outbox.services import email_enqueue
from payments.models import Payment, PaymentState

PAYMENT_SUCCEEDED = "payments/email/payment_succeeded"
PAYMENT_FAILED = "payments/email/payment_failed"


def payment_result_email(*, payment: Payment) -> None:
    order = payment.order
    succeeded = payment.status == PaymentState.SUCCESS
    email_enqueue(
        to=order.user.email,
        language=order.user.language,
        template=PAYMENT_SUCCEEDED if succeeded else PAYMENT_FAILED,
        context={"payment_id": str(payment.pk)},
        # One e-mail per payment outcome, however many times it is verified.
        key=f"payment-{payment.status}:{payment.pk}",
        # Money that paid the order comes with its receipt.
        attachments=[("receipt", order.pk)] if payment.applied else [],
    )


def _payment_context(values: dict) -> dict:
    payment = Payment.objects.select_related("order__user").get(pk=values["payment_id"])
    order = payment.order
    return {
        "payment": payment,
        "order": order,
        "items": list(order.items.all()),
        "name": order.user.first_name or order.user.username,
    }


def _payment_succeeded(values: dict) -> tuple[str, dict]:
    context = _payment_context(values)
    return gettext("Payment received for order {number}").format(number=context["order"].number), context


def _payment_failed(values: dict) -> tuple[str, dict]:
    context = _payment_context(values)
    return gettext("Payment failed for order {number}").format(number=context["order"].number), context


def payment_email_kinds_register() -> None:
    email_kind_register(PAYMENT_SUCCEEDED, _payment_succeeded)
    email_kind_register(PAYMENT_FAILED, _payment_failed)
