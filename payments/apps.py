from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from ecommerce.outbox.attachments import attachment_kind_register
        from payments import tasks  # noqa: F401 - services queue its tasks by name
        from payments.credit_notes import credit_note_attachment
        from payments.emails import payment_email_kinds_register
        from payments.receipts import receipt_attachment

        payment_email_kinds_register()
        # The "payment received" e-mail carries the receipt, made when the e-mail is sent.
        attachment_kind_register("receipt", receipt_attachment)
        # The "return refunded" e-mail (orders.emails) carries the credit note, made likewise.
        attachment_kind_register("credit_note", credit_note_attachment)
