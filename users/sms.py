"""The SMS that carries a sign-in code."""


def otp_code_sms(*, phone: str, code: str, language: str) -> None:
    """Queue the SMS with a sign-in code to `phone`, in `language`, the request's."""
