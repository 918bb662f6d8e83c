from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EMAIL_TAKEN = _("A user with this email already exists.")
EMAIL_TAKEN_CODE = "email_taken"
PHONE_TAKEN = _("This phone number is already verified on another account.")
PHONE_TAKEN_CODE = "phone_taken"
USERNAME_TAKEN = _("A user with that username already exists.")
USERNAME_INVALID = _(
    "Enter a valid username: letters, digits and ./+/-/_ only. It may not contain @, "
    "so that nobody can take someone else's e-mail address as a login name."
)


class UsernameValidator(UnicodeUsernameValidator):
    """Django's rule less the "@": logins that contain one are e-mail addresses."""

    regex = r"^[\w.+-]+\Z"
    message = USERNAME_INVALID


def shop_language() -> str:
    """A new account speaks the shop's language (SHOP_LANGUAGE) until it says otherwise; a
    callable, so that the migration does not freeze one deployment's setting."""
    return settings.LANGUAGE_CODE


class User(AbstractUser):
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("150 characters or fewer: letters, digits and ./+/-/_ only (no @)."),
        validators=[UsernameValidator()],
        error_messages={"unique": USERNAME_TAKEN},
    )
    phone = models.CharField(max_length=16, blank=True, verbose_name=_("phone"))
    # Set only by a one-time code sent to `phone` (users.otp); a changed phone is unverified.
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    # What the shop sends this person later (e-mails, SMS) is in this language, whoever causes
    # it; it is also the API's language for them when a request's Accept-Language names none.
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default=shop_language)
    # Order notices by SMS at the order's shipping phone; the customer may turn them off.
    sms_notifications = models.BooleanField(_("SMS notifications"), default=True)
    # Every JWT carries the version it was issued under; bumping it (password change or reset,
    # e-mail change) refuses every token issued before, access tokens included.
    token_version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("token version"))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Case-insensitive: "Abebe@x.et" and "abebe@x.et" are one mailbox, so one account.
            models.UniqueConstraint(
                Lower("email"),
                name="users_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message=EMAIL_TAKEN,
                violation_error_code=EMAIL_TAKEN_CODE,
            ),
            # A verified phone signs its account in: it may belong to one account only. Unverified
            # copies (a number typed into a profile) are allowed.
            models.UniqueConstraint(
                fields=["phone"],
                name="users_user_verified_phone_unique",
                condition=models.Q(phone_verified=True),
                violation_error_message=PHONE_TAKEN,
                violation_error_code=PHONE_TAKEN_CODE,
            ),
        ]

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            # A constraint on an expression (Lower("email")) is reported for the whole row;
            # the e-mail field is where a form or an API client looks for it.
            errors = exc.error_dict
            taken = [error for error in errors.get(NON_FIELD_ERRORS, []) if error.code == EMAIL_TAKEN_CODE]
            if taken:
                errors[NON_FIELD_ERRORS] = [error for error in errors[NON_FIELD_ERRORS] if error not in taken]
                if not errors[NON_FIELD_ERRORS]:
                    del errors[NON_FIELD_ERRORS]
                errors.setdefault("email", []).extend(taken)
            raise

    def __str__(self) -> str:
        return self.username


class OtpPhone(models.Model):
    """One row per phone number that asked for a code. Requests and verifications for a number
    lock its row (users.lock_objects), so that the resend delay, the limits per number and a
    code's single use hold under parallel requests, not only under sequential ones."""

    phone = models.CharField(_("phone"), max_length=16, unique=True)

    class Meta:
        verbose_name = _("phone number asking for codes")
        verbose_name_plural = _("phone numbers asking for codes")

    def __str__(self) -> str:
        return self.phone


class OneTimeCode(models.Model):
    """A six-digit sign-in code sent by SMS. Only a keyed hash of it is kept (HMAC with the
    shop's SECRET_KEY and a salt of its own), so a copy of the table gives no code away. The
    phone's newest code is the only one that counts; the older rows are kept for the limits
    per number and per hour, and swept after a day."""

    phone = models.CharField(_("phone"), max_length=16)
    code_hash = models.CharField(_("code hash"), max_length=64, editable=False)
    salt = models.CharField(_("salt"), max_length=32, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["phone", "-created_at"], name="users_otp_phone_created")]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"
