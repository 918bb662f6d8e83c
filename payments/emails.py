"""Payment e-mails, queued in the outbox in the transaction that records the payment's result."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ecommerce.outbox.services import email_enqueue
from payments.models import Payment, PaymentState

SUCCEEDED_SUBJECT = _("Payment received for order {number}")
FAILED_SUBJECT = _("Payment failed for order {number}")


def payment_result_email(*, payment: Payment) -> None:
    order = payment.order
    succeeded = payment.status == PaymentState.SUCCESS
    email_enqueue(
        to=order.user.email,
        subject=format_lazy(SUCCEEDED_SUBJECT if succeeded else FAILED_SUBJECT, number=order.number),
        template=f"payments/email/payment_{'succeeded' if succeeded else 'failed'}",
        context={
            "payment": payment,
            "order": order,
            "items": order.items.all(),
            "name": order.user.first_name or order.user.username,
        },
        # One e-mail per payment outcome, however many times it is verified.
        key=f"payment-{payment.status}:{payment.pk}",
        # Money that paid the order comes with its receipt.
        attachments=[("receipt", order.pk)] if payment.applied else [],
    )
