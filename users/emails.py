from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from ecommerce.outbox.services import email_enqueue


def password_reset_email(*, user) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    email_enqueue(
        to=user.email,
        subject=_("Reset your password"),
        template="users/email/password_reset",
        context={
            "user": user,
            "uid": uid,
            "token": token,
            "reset_url": f"{settings.FRONTEND_URL.rstrip('/')}/reset-password?uid={uid}&token={token}",
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
