"""Account e-mails, queued in the outbox and written when sent, in the user's language
(ecommerce.outbox.kinds)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.dateparse import parse_datetime
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from ecommerce.common.dates import date_display
from ecommerce.outbox.kinds import email_kind_register
from ecommerce.outbox.services import email_enqueue
from users.selectors import user_staff_recipients

PASSWORD_RESET = "users/email/password_reset"
OTP_SHOP_LIMIT = "users/email/otp_shop_limit"


def password_reset_email(*, user) -> None:
    email_enqueue(to=user.email, language=user.language, template=PASSWORD_RESET, context={"user_id": user.pk})


def _password_reset(values: dict) -> tuple[str, dict]:
    user = get_user_model().objects.get(pk=values["user_id"])
    # Made when the e-mail is sent: no token waits in a queued row, and the link is valid for
    # PASSWORD_RESET_TIMEOUT from when it goes out, however long the outbox held it.
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return gettext("Reset your password"), {
        "user": user,
        "uid": uid,
        "token": token,
        "reset_url": f"{settings.FRONTEND_URL.rstrip('/')}/reset-password?uid={uid}&token={token}",
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }


def otp_shop_limit_email(*, limit: int, at) -> None:
    """Tell staff that the shop stopped sending sign-in codes at its hourly cap: once an hour,
    however many requests it refuses (the key of the clock hour)."""
    hour = at.strftime("%Y-%m-%dT%H")
    for staff in user_staff_recipients():
        email_enqueue(
            to=staff.email,
            language=staff.language,
            template=OTP_SHOP_LIMIT,
            context={"limit": limit, "at": at.isoformat()},
            key=f"otp-shop-limit:{hour}:{staff.email}",
        )


def _otp_shop_limit(values: dict) -> tuple[str, dict]:
    at = parse_datetime(values["at"])
    return gettext("Sign-in codes stopped: {count} sent in an hour").format(count=values["limit"]), {
        "limit": values["limit"],
        "since": date_display(at, with_time=True),
        "codes_url": f"{settings.SITE_URL.rstrip('/')}/admin/users/onetimecode/",
    }


def user_email_kinds_register() -> None:
    email_kind_register(PASSWORD_RESET, _password_reset)
    email_kind_register(OTP_SHOP_LIMIT, _otp_shop_limit)
