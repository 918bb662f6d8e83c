from enum import StrEnum


class UserErrorCode(StrEnum):
    """Every code the users app answers with; each means one HTTP status everywhere."""

    TOKEN_REVOKED = "token_revoked"  # 401: issued before a password or e-mail change
    PHONE_INVALID = "phone_invalid"  # 400: not an Ethiopian mobile number
    OTP_INVALID = "otp_invalid"  # 400: a wrong code; tries are left
    OTP_EXPIRED = "otp_expired"  # 400: no live code (expired, used, replaced or out of tries)
    OTP_RESEND_TOO_SOON = "otp_resend_too_soon"  # 429: the last code went out less than a minute ago
    OTP_PHONE_LIMIT = "otp_phone_limit"  # 429: this number had its codes for the hour or the day
    OTP_SHOP_LIMIT = "otp_shop_limit"  # 429: the shop sent its codes for the hour
    PHONE_TAKEN = "phone_taken"  # 409: verified on another account
    ACCOUNT_INACTIVE = "account_inactive"  # 403: the number's account is disabled
    PASSWORD_REQUIRED = "password_required"  # 403: a staff account signs in with its password only
