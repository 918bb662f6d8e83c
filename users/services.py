from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from ecommerce.common.field_errors import FieldErrors
from ecommerce.common.services import model_update
from ecommerce.common.validators import normalize_ethiopian_phone
from users.emails import password_reset_email
from users.models import EMAIL_TAKEN, USERNAME_TAKEN
from users.selectors import user_email_taken, user_username_taken

User = get_user_model()

CURRENT_PASSWORD_REQUIRED = _("Enter your current password to change your e-mail address.")
CURRENT_PASSWORD_WRONG = _("Your current password was entered incorrectly.")
OLD_PASSWORD_WRONG = _("Your old password was entered incorrectly.")
RESET_LINK_INVALID = _("The password reset link is invalid or has expired.")
REFRESH_INVALID = _("The refresh token is invalid or has expired.")


def _check_email_free(email: str, exclude_user_id: int | None = None) -> None:
    if user_email_taken(email=email, exclude_user_id=exclude_user_id):
        raise ValidationError({"email": [EMAIL_TAKEN]})


def _normalized_phone(phone: str) -> str:
    return normalize_ethiopian_phone(phone, field="phone") if phone else ""


def _check_password(password: str, user, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    language: str | None = None,
    is_staff: bool = False,
) -> User:
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    if language is not None:
        user.language = language
    errors = FieldErrors()
    with errors.check():
        _check_email_free(email)
    with errors.check():
        user.phone = _normalized_phone(phone)
    with errors.check():
        _check_password(password, user, "password")
    user.set_password(password)
    with errors.check():
        user.full_clean(exclude=errors.fields)
    errors.raise_any()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Another registration took the username or the e-mail between the checks above and
        # this insert; it has committed, so asking again names the field it took.
        errors = {}
        if user_username_taken(username=username):
            errors["username"] = [USERNAME_TAKEN]
        if user_email_taken(email=email):
            errors["email"] = [EMAIL_TAKEN]
        raise ValidationError(errors) from exc
    return user


def _check_current_password(user: User, current_password: str) -> None:
    if not current_password:
        raise ValidationError({"current_password": [CURRENT_PASSWORD_REQUIRED]})
    if not user.check_password(current_password):
        raise ValidationError({"current_password": [CURRENT_PASSWORD_WRONG]})


@transaction.atomic
def user_update(*, user: User, data: dict, current_password: str = "") -> User:
    """Update the profile. A new e-mail address needs the current password (a stolen token alone
    must not take over the account through a password reset) and ends every session."""
    data = dict(data)
    email_changes = "email" in data and data["email"] != user.email
    errors = FieldErrors()
    if email_changes:
        # One check: whether an address is taken is said only to who knows the password.
        with errors.check():
            _check_current_password(user, current_password)
            _check_email_free(data["email"], exclude_user_id=user.pk)
    if "phone" in data:
        with errors.check():
            data["phone"] = _normalized_phone(data["phone"])
    errors.raise_any()
    try:
        with transaction.atomic():
            user, _ = model_update(
                instance=user,
                fields=["first_name", "last_name", "email", "phone", "language", "sms_notifications"],
                data=data,
            )
    except IntegrityError as exc:
        # Another account took the address between the check above and this save.
        raise ValidationError({"email": [EMAIL_TAKEN]}) from exc
    if email_changes:
        user_tokens_revoke(user=user)
    return user


def user_tokens_revoke(*, user: User) -> None:
    """End every session of the user: each token issued before now, access and refresh alike,
    carries an older version and is refused from the next request on."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])


def _password_set(*, user: User, new_password: str) -> None:
    _check_password(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_tokens_revoke(user=user)


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [OLD_PASSWORD_WRONG]})
    _password_set(user=user, new_password=new_password)


def user_logout(*, user: User, refresh: str) -> None:
    try:
        token = RefreshToken(refresh)
    except TokenError as exc:
        raise ValidationError({"refresh": [REFRESH_INVALID]}) from exc
    if str(token.get("user_id")) != str(user.pk):
        raise ValidationError({"refresh": [REFRESH_INVALID]})
    token.blacklist()


@transaction.atomic
def user_password_reset_request(*, email: str) -> None:
    """E-mail a reset link if an active account has this address; say nothing either way."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        password_reset_email(user=user)


def _user_from_uid(uid: str) -> User | None:
    try:
        pk = force_str(urlsafe_base64_decode(uid))
        return User.objects.get(pk=int(pk), is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@transaction.atomic
def user_password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    user = _user_from_uid(uid)
    if user is None or not default_token_generator.check_token(user, token):
        raise ValidationError({"token": [RESET_LINK_INVALID]})
    _password_set(user=user, new_password=new_password)
