from django.utils.translation import gettext_lazy as _

from ecommerce.common.exceptions import ApplicationError, ConflictError, TooManyRequests
from users.error_codes import UserErrorCode

OTP_INVALID = _("The code is wrong. Check the SMS and try again.")
OTP_EXPIRED = _("This code can no longer be used. Ask for a new one.")
OTP_RESEND_TOO_SOON = _("A code was just sent to this number. Wait a minute before asking again.")
OTP_PHONE_LIMIT = _("This number has been sent too many codes. Try again later.")
OTP_SHOP_LIMIT = _("The shop cannot send more codes right now. Try again later.")
ACCOUNT_INACTIVE = _("The account of this phone number is disabled.")
PASSWORD_REQUIRED = _("Staff accounts sign in with their password, not with a code.")


class PhoneInvalid(ApplicationError):
    default_code = UserErrorCode.PHONE_INVALID


class OtpInvalid(ApplicationError):
    default_code = UserErrorCode.OTP_INVALID


class OtpExpired(ApplicationError):
    default_code = UserErrorCode.OTP_EXPIRED


class OtpResendTooSoon(TooManyRequests):
    default_code = UserErrorCode.OTP_RESEND_TOO_SOON


class OtpPhoneLimit(TooManyRequests):
    default_code = UserErrorCode.OTP_PHONE_LIMIT


class OtpShopLimit(TooManyRequests):
    default_code = UserErrorCode.OTP_SHOP_LIMIT


class PhoneTaken(ConflictError):
    default_code = UserErrorCode.PHONE_TAKEN


class AccountInactive(ApplicationError):
    status_code = 403
    default_code = UserErrorCode.ACCOUNT_INACTIVE


class PasswordRequired(ApplicationError):
    """Whoever holds a staff member's SIM (a swap, a port-out) must not get their rights."""

    status_code = 403
    default_code = UserErrorCode.PASSWORD_REQUIRED
