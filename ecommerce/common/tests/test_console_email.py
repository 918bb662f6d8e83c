"""The embedded default prints e-mails on the console: readable, with attachments summarised."""

import base64
import io
import os

from django.core.mail import EmailMultiAlternatives, get_connection

from ecommerce.common.tests.processes import manage, shop_env


def embedded_default_email_backend() -> str:
    """The EMAIL_BACKEND that settings choose when nothing about e-mail is configured."""
    env = {key: value for key, value in shop_env().items() if not key.startswith("EMAIL_")}
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    return manage(env, "shell", "--no-imports", "-c", code).strip()


def test_the_console_shows_each_attachment_as_its_name_type_and_size():
    # given an order e-mail with its PDF receipt (and a second, Amharic-named attachment)
    receipt = b"%PDF-1.7\n" + os.urandom(60_000)
    message = EmailMultiAlternatives(
        "[Shop] Payment received for order 7KX2M9QA", "Thank you: your payment was received.", to=["abebe@example.et"]
    )
    message.attach_alternative("<p>Thank you: your payment was received.</p>", "text/html")
    message.attach("receipt-7KX2M9QA.pdf", receipt, "application/pdf")
    message.attach("ደረሰኝ.txt", "ሰላም", "text/plain")

    # when the embedded default's backend prints it
    stream = io.StringIO()
    assert get_connection(embedded_default_email_backend(), stream=stream).send_messages([message]) == 1

    # then the console has the message as the console backend prints it, and not a line of the PDF
    printed = stream.getvalue()
    assert "Subject: [Shop] Payment received for order 7KX2M9QA" in printed
    assert "To: abebe@example.et" in printed and "Thank you: your payment was received." in printed
    assert "<p>Thank you: your payment was received.</p>" in printed
    assert "[attachment receipt-7KX2M9QA.pdf, application/pdf, 60009 bytes]" in printed
    assert "[attachment ደረሰኝ.txt, text/plain, 9 bytes]" in printed
    assert base64.b64encode(receipt)[:40].decode() not in printed
    assert len(printed.splitlines()) < 60
    assert printed.endswith("-" * 79 + "\n")
    # and what is sent is left whole
    assert message.attachments[0].content == receipt
