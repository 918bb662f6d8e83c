from enum import StrEnum


class UserErrorCode(StrEnum):
    """Every code the users app answers with; each means one HTTP status everywhere."""

    TOKEN_REVOKED = "token_revoked"  # 401: issued before a password or e-mail change
