"""Where SMS go: the console (the embedded default) or AfroMessage, chosen by SMS_BACKEND.

A backend sends one text to one phone (international form without "+") and returns the
gateway's id for it, or raises SmsNotSent; the outbox retries it later. The API token is sent
only in the Authorization header and never written in an error, a log line or a row.
"""

import sys

import requests
from django.conf import settings

from ecommerce.outbox.sms_parts import sms_parts


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
        answer = _json_object(response)
        details = answer.get("response") if isinstance(answer.get("response"), dict) else {}
        if response.status_code != 200 or answer.get("acknowledge") != "success":
            said = details.get("errors") or answer or response.reason
            raise SmsNotSent(f"AfroMessage answered HTTP {response.status_code}: {said}")
        return str(details.get("message_id", ""))[:100]


def _json_object(response: requests.Response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


# The names SMS_BACKEND may take (checked when the settings load).
BACKENDS = {"console": ConsoleSmsBackend, "afromessage": AfroMessageSmsBackend}


def sms_backend():
    return BACKENDS[settings.SMS_BACKEND]()
