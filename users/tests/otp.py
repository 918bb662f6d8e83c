"""Helpers of the sign-in code tests: the codes the shop sent, and time moved for a number."""

from datetime import timedelta

from django.db.models import F
from django.urls import reverse

from users.models import OneTimeCode

REQUEST = reverse("users:otp-request")
VERIFY = reverse("users:otp-verify")
PHONE = "0911234567"


class SentCodes:
    """The SMS the shop queued with a code, as (phone, code, language), oldest first."""

    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []

    def __call__(self, *, phone: str, code: str, language: str) -> None:
        self.sent.append((phone, code, language))

    def last(self, phone: str = PHONE) -> str:
        return [code for to, code, _ in self.sent if to == phone][-1]

    def count(self, phone: str = PHONE) -> int:
        return sum(1 for to, _, _ in self.sent if to == phone)


def age_codes(seconds: float, phone: str | None = None) -> None:
    """Move the codes sent (to one number, or to all) `seconds` into the past."""
    codes = OneTimeCode.objects.all() if phone is None else OneTimeCode.objects.filter(phone=phone)
    delta = timedelta(seconds=seconds)
    codes.update(created_at=F("created_at") - delta, expires_at=F("expires_at") - delta)


def request_code(client, phone: str = PHONE, **extra):
    return client.post(REQUEST, {"phone": phone}, format="json", **extra)


def verify_code(client, code: str, phone: str = PHONE, **extra):
    return client.post(VERIFY, {"phone": phone, "code": code}, format="json", **extra)
