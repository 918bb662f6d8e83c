from django.contrib.auth import get_user_model

User = get_user_model()


def user_email_taken(*, email: str, exclude_user_id: int | None = None) -> bool:
    qs = User.objects.filter(email__iexact=email)
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def user_username_taken(*, username: str) -> bool:
    return User.objects.filter(username=username).exists()


def user_phone_owner(*, phone: str) -> User | None:
    """The account that verified this phone, if one did (at most one can)."""
    return User.objects.filter(phone=phone, phone_verified=True).first()


def user_staff_recipients():
    """Staff who receive the shop's alerts by e-mail."""
    return User.objects.filter(is_staff=True, is_active=True).exclude(email="").order_by("email")
