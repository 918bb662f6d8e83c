"""Where SMS go: the console (the embedded default) or AfroMessage, chosen by SMS_BACKEND.

A backend sends one text to one phone (international form without "+") and returns the
gateway's id for it, or raises SmsNotSent; the outbox retries it later. The API token is sent
only in the Authorization header and never written in an error, a log line or a row.
"""

import logging
import sys

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ecommerce.outbox.sms_parts import sms_parts

logger = logging.getLogger(__name__)


class SmsNotSent(Exception):
    """The gateway did not take the SMS (refused, an HTTP error, unreachable, too slow)."""


class ConsoleSmsBackend:
    """Prints each SMS, for the embedded default and the demo: sign-in codes are read here."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to: str, text: str) -> str:
        parts = sms_parts(text)
        self.stream.write(f"SMS to +{to} ({parts.parts} part(s), {parts.encoding}):\n{text}\n{'-' * 40}\n")
        self.stream.flush()
        return ""


class AfroMessageSmsBackend:
    """AfroMessage's `POST {SMS_BASE_URL}/send`: accepted only on HTTP 200 with
    `"acknowledge": "success"`."""

    def send(self, *, to: str, text: str) -> str:
        body = {"to": to, "message": text}
        # Without them the account's default identifier and sender name are used.
        if settings.SMS_IDENTIFIER:
            body["from"] = settings.SMS_IDENTIFIER
        if settings.SMS_SENDER:
            body["sender"] = settings.SMS_SENDER
        try:
            response = requests.post(
                f"{settings.SMS_BASE_URL.rstrip('/')}/send",
                json=body,
                headers={"Authorization": f"Bearer {settings.SMS_API_TOKEN}"},
                timeout=(settings.SMS_CONNECT_TIMEOUT, settings.SMS_READ_TIMEOUT),
            )
        except requests.RequestException as exc:
            # The exception's text can carry the request; its class says what went wrong.
            raise SmsNotSent(f"AfroMessage unreachable ({exc.__class__.__name__})") from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            answer = {}
        if response.status_code != 200 or answer.get("acknowledge") != "success":
            errors = (answer.get("response") or {}).get("errors") if isinstance(answer.get("response"), dict) else None
            raise SmsNotSent(f"AfroMessage answered HTTP {response.status_code}: {errors or answer or response.reason}")
        message_id = (answer.get("response") or {}).get("message_id", "")
        return str(message_id)[:100]


BACKENDS = {"console": ConsoleSmsBackend, "afromessage": AfroMessageSmsBackend}


def sms_backend():
    try:
        return BACKENDS[settings.SMS_BACKEND]()
    except KeyError:
        raise ImproperlyConfigured(f"SMS_BACKEND must be one of {sorted(BACKENDS)}") from None
