"""Helpers of the sign-in code tests: the codes the shop sent, and time moved for a number."""

import re
from datetime import timedelta

from django.db.models import F
from django.urls import reverse

from ecommerce.outbox.models import OutboxSms
from ecommerce.outbox.services import sms_recipient
from users.models import OneTimeCode
from users.sms import OTP_CODE

REQUEST = reverse("users:otp-request")
VERIFY = reverse("users:otp-verify")
PHONE = "0911234567"


class SentCodes:
    """The SMS with a code that the shop queued in its outbox, oldest first, read before they
    are sent (once sent, the outbox forgets a code)."""

    @property
    def sent(self) -> list[tuple[str, str, str]]:
        """(phone in its local form, code, language) of each."""
        rows = OutboxSms.objects.filter(kind=OTP_CODE).order_by("pk")
        return [("0" + sms.to.removeprefix("251"), sms.context["code"], sms.language) for sms in rows]

    def last(self, phone: str = PHONE) -> str:
        return [code for to, code, _ in self.sent if to == phone][-1]

    def count(self, phone: str = PHONE) -> int:
        return OutboxSms.objects.filter(kind=OTP_CODE, to=sms_recipient(phone)).count()


def code_in(text: str) -> str:
    """The code of an SMS as the customer reads it."""
    return re.search(r"\b[0-9]{6}\b", text).group()


def age_codes(seconds: float, phone: str | None = None) -> None:
    """Move the codes sent (to one number, or to all) `seconds` into the past."""
    codes = OneTimeCode.objects.all() if phone is None else OneTimeCode.objects.filter(phone=phone)
    delta = timedelta(seconds=seconds)
    codes.update(created_at=F("created_at") - delta, expires_at=F("expires_at") - delta)


def request_code(client, phone: str = PHONE, **extra):
    return client.post(REQUEST, {"phone": phone}, format="json", **extra)


def verify_code(client, code: str, phone: str = PHONE, **extra):
    return client.post(VERIFY, {"phone": phone, "code": code}, format="json", **extra)
