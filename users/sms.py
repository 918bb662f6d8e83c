"""The SMS that carries a sign-in code, queued in the outbox and written when sent, in the
language the code was asked in (ecommerce.outbox.kinds)."""

import math

from django.conf import settings
from django.utils.translation import gettext

from ecommerce.outbox.kinds import sms_kind_register
from ecommerce.outbox.services import sms_enqueue

OTP_CODE = "users/sms/otp_code"


def otp_code_sms(*, phone: str, code: str, language: str, key: str) -> None:
    """Queue the code's SMS in the transaction that issues the code. Its kind is secret: the
    outbox forgets the code once the SMS is sent or given up on."""
    minutes = math.ceil(settings.OTP_TTL_SECONDS / 60)
    sms_enqueue(to=phone, kind=OTP_CODE, context={"code": code, "minutes": minutes}, language=language, key=key)


def _otp_code(values: dict) -> str:
    # One SMS part in both languages: 160 GSM-7 characters in English, 70 in Amharic.
    return gettext("{code} is your {shop} sign-in code. It expires in {minutes} min. Never share it.").format(
        code=values["code"], shop=settings.SHOP_NAME, minutes=values["minutes"]
    )


def user_sms_kinds_register() -> None:
    sms_kind_register(OTP_CODE, _otp_code, secret=True)
