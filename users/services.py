import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from ecommerce.common.exceptions import ApplicationError
from ecommerce.common.field_errors import FieldErrors
from ecommerce.common.services import model_update
from ecommerce.common.validators import normalize_ethiopian_phone
from users.emails import otp_shop_limit_email, password_reset_email
from users.exceptions import (
    ACCOUNT_INACTIVE,
    OTP_EXPIRED,
    OTP_INVALID,
    OTP_PHONE_LIMIT,
    OTP_RESEND_TOO_SOON,
    OTP_SHOP_LIMIT,
    PASSWORD_REQUIRED,
    AccountInactive,
    OtpExpired,
    OtpInvalid,
    OtpPhoneLimit,
    OtpResendTooSoon,
    OtpShopLimit,
    PasswordRequired,
    PhoneInvalid,
    PhoneTaken,
)
from users.lock_objects import otp_phone_lock, otp_phones_lock_idle
from users.models import EMAIL_TAKEN, PHONE_TAKEN, USERNAME_TAKEN, OneTimeCode, OtpPhone
from users.selectors import user_email_taken, user_phone_owner, user_username_taken
from users.sms import otp_code_sms

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
            if data["phone"] != user.phone:
                # Only a code sent to the new number verifies it.
                data["phone_verified"] = False
    errors.raise_any()
    try:
        with transaction.atomic():
            user, _ = model_update(
                instance=user,
                fields=["first_name", "last_name", "email", "phone", "phone_verified", "language", "sms_notifications"],
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


# Sign-in by a code sent by SMS. The numbers are the contract's: six digits, five wrong tries,
# a minute between two codes to one number, at most 5 codes an hour and 10 a day to it.
OTP_DIGITS = 6
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_SECONDS = 60
OTP_PHONE_LIMITS = ((timedelta(hours=1), 5), (timedelta(days=1), 10))
OTP_SHOP_WINDOW = timedelta(hours=1)
# The longest time a code counts for a limit; older codes are swept.
OTP_KEPT_FOR = max(OTP_SHOP_WINDOW, *(window for window, _ in OTP_PHONE_LIMITS))


@dataclass(frozen=True)
class OtpSent:
    expires_in: int
    resend_in: int


def otp_phone_normalize(phone: str) -> str:
    try:
        return normalize_ethiopian_phone(phone)
    except ValidationError as exc:
        raise PhoneInvalid(str(exc.messages[0])) from exc


def _otp_hash(*, code: str, salt: str) -> str:
    """Keyed with the shop's secret: a copy of the table alone cannot test the million codes."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def _seconds_until(moment) -> int:
    return max(1, int((moment - timezone.now()).total_seconds() + 0.999))


def _otp_phone_refusal(*, phone: str, now) -> ApplicationError | None:
    """Why this number may not be sent a code now: too soon after the last, or its hour's or
    day's codes spent. Counted from the codes sent, under the number's lock."""
    sent = list(
        OneTimeCode.objects.filter(phone=phone, created_at__gt=now - OTP_KEPT_FOR)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    resend_at = sent[0] + timedelta(seconds=OTP_RESEND_SECONDS) if sent else now
    if resend_at > now:
        return OtpResendTooSoon(OTP_RESEND_TOO_SOON, retry_after=_seconds_until(resend_at))
    for window, limit in OTP_PHONE_LIMITS:
        within = [moment for moment in sent if moment > now - window]
        if len(within) >= limit:
            # A code can be sent again when the oldest that counts leaves the window.
            return OtpPhoneLimit(OTP_PHONE_LIMIT, retry_after=_seconds_until(within[limit - 1] + window))
    return None


def _otp_shop_refusal(*, now) -> ApplicationError | None:
    """The shop's cap on codes an hour, against SMS pumping. Reaching it tells staff once an hour."""
    window = OneTimeCode.objects.filter(created_at__gt=now - OTP_SHOP_WINDOW).order_by("created_at")
    limit = settings.OTP_HOURLY_LIMIT
    if window.count() < limit:
        return None
    otp_shop_limit_email(limit=limit, at=now)
    oldest = window.values_list("created_at", flat=True).first()
    return OtpShopLimit(OTP_SHOP_LIMIT, retry_after=_seconds_until(oldest + OTP_SHOP_WINDOW))


def otp_request(*, phone: str, language: str) -> OtpSent:
    """Send a six-digit sign-in code to the number, replacing its earlier code. The answer is the
    same whether or not an account has this number."""
    phone = otp_phone_normalize(phone)
    with transaction.atomic():
        otp_phone_lock(phone=phone, create=True)
        now = timezone.now()
        refusal = _otp_phone_refusal(phone=phone, now=now) or _otp_shop_refusal(now=now)
        if refusal is None:
            code = "".join(secrets.choice("0123456789") for _ in range(OTP_DIGITS))
            salt = secrets.token_hex(16)
            otp = OneTimeCode.objects.create(
                phone=phone,
                code_hash=_otp_hash(code=code, salt=salt),
                salt=salt,
                created_at=now,
                expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
            )
            otp_code_sms(phone=phone, code=code, language=language, key=f"otp:{otp.pk}")
    # Refused after the transaction: the staff alert of a reached cap is kept.
    if refusal is not None:
        raise refusal
    return OtpSent(expires_in=settings.OTP_TTL_SECONDS, resend_in=OTP_RESEND_SECONDS)


def _otp_use(*, phone: str, code: str, now, user: User | None) -> ApplicationError | None:
    """Check the code against the number's newest one: a right code is used up, a wrong one
    counts a try. None when it was right."""
    otp = OneTimeCode.objects.filter(phone=phone).order_by("-created_at").first()
    if otp is None or otp.expires_at <= now or otp.attempts >= OTP_MAX_ATTEMPTS:
        return OtpExpired(OTP_EXPIRED)
    right = hmac.compare_digest(_otp_hash(code=code, salt=otp.salt), otp.code_hash)
    if otp.used_at is not None:
        return _otp_spent(phone=phone, right=right, user=user)
    if right:
        otp.used_at = now
        otp.save(update_fields=["used_at"])
        return None
    otp.attempts += 1
    otp.save(update_fields=["attempts"])
    return OtpExpired(OTP_EXPIRED) if otp.attempts >= OTP_MAX_ATTEMPTS else OtpInvalid(OTP_INVALID)


def _otp_spent(*, phone: str, right: bool, user: User | None) -> ApplicationError:
    """A used code is dead, except that a signed-in caller holding it, whose rival account just
    verified the phone with it, lost that race and is told so (409): it tells them nothing the
    code did not."""
    if right and user is not None:
        owner = user_phone_owner(phone=phone)
        if owner is not None and owner.pk != user.pk:
            return PhoneTaken(PHONE_TAKEN)
    return OtpExpired(OTP_EXPIRED)


def _phone_save_verified(user: User, phone: str) -> None:
    """Save the verified phone; another account that verified it first (the unique index
    decides races) makes it a 409."""
    user.phone, user.phone_verified = phone, True
    try:
        with transaction.atomic():
            if user.pk is None:
                user.save()
            else:
                user.save(update_fields=["phone", "phone_verified"])
    except IntegrityError as exc:
        if user_phone_owner(phone=phone) is None:
            raise
        raise PhoneTaken(PHONE_TAKEN) from exc


def _otp_sign_in(*, phone: str, language: str, now) -> tuple[User, bool]:
    """The account whose verified phone this is, or a new customer account with it."""
    owner = user_phone_owner(phone=phone)
    if owner is not None:
        if not owner.is_active:
            raise AccountInactive(ACCOUNT_INACTIVE)
        if owner.is_staff:
            raise PasswordRequired(PASSWORD_REQUIRED)
        owner.last_login = now
        owner.save(update_fields=["last_login"])
        return owner, False
    # A name nobody chose and nobody can guess; the customer may never see it.
    user = User(username=f"customer-{secrets.token_hex(6)}", language=language, last_login=now)
    user.set_unusable_password()
    _phone_save_verified(user, phone)
    return user, True


def _otp_phone_verify(*, user: User, phone: str) -> User:
    owner = user_phone_owner(phone=phone)
    if owner is not None and owner.pk != user.pk:
        raise PhoneTaken(PHONE_TAKEN)
    _phone_save_verified(user, phone)
    return user


def otp_verify(*, phone: str, code: str, language: str, user: User | None = None) -> tuple[User, bool]:
    """Check a sign-in code. Without `user`, sign in (or create) the account of this verified
    phone; with one, verify the phone for that account. Returns the account and whether it was
    created. A right code works once; five wrong tries end it."""
    phone = otp_phone_normalize(phone)
    with transaction.atomic():
        if otp_phone_lock(phone=phone, create=False) is None:
            raise OtpExpired(OTP_EXPIRED)  # never sent a code
        now = timezone.now()
        failure = _otp_use(phone=phone, code=code, now=now, user=user)
        if failure is None:
            try:
                if user is None:
                    return _otp_sign_in(phone=phone, language=language, now=now)
                return _otp_phone_verify(user=user, phone=phone), False
            except ApplicationError as exc:
                failure = exc  # the code is spent all the same
    # Refused after the transaction, which keeps the wrong try counted.
    raise failure


@transaction.atomic
def otp_sweep(*, now=None) -> int:
    """Delete the codes older than the longest window a limit counts them in, and the rows of
    numbers left without any: who asked for a code is kept no longer than the limits need.
    Returns how many codes went."""
    now = now or timezone.now()
    deleted, _ = OneTimeCode.objects.filter(created_at__lte=now - OTP_KEPT_FOR).delete()
    idle = list(OtpPhone.objects.exclude(phone__in=OneTimeCode.objects.values("phone")).values_list("phone", flat=True))
    OtpPhone.objects.filter(pk__in=[row.pk for row in otp_phones_lock_idle(phones=idle)]).delete()
    return deleted
