from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

User = get_user_model()


def password_reset_email_send(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    # The token is made here, not by the caller, so it never travels through the broker.
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "uid": uid,
        "token": token,
        "reset_url": f"{settings.FRONTEND_URL.rstrip('/')}/reset-password?uid={uid}&token={token}",
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    message = EmailMultiAlternatives(
        subject="Reset your password",
        body=render_to_string("users/email/password_reset.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("users/email/password_reset.html", context), "text/html")
    message.send()
