from users.models import OtpPhone


def otp_phone_lock(*, phone: str, create: bool) -> OtpPhone | None:
    """Lock the row of a phone number that asks for or checks a code. Everything about the
    number's codes happens under it: parallel requests for one number queue here, so the resend
    delay, the limits and a code's single use are decided one request at a time. With `create`,
    a number's first request makes its row (parallel first requests make one)."""
    # Twice at most: the sweep may delete a number's idle row between our insert, which found it
    # there, and our lock.
    for _ in range(2 if create else 1):
        if create:
            OtpPhone.objects.bulk_create([OtpPhone(phone=phone)], ignore_conflicts=True)
        locked = OtpPhone.objects.select_for_update(of=("self",)).filter(phone=phone).first()
        if locked is not None:
            return locked
    return None


def otp_phones_lock_idle(*, phones: list[str]) -> list[OtpPhone]:
    """Lock the rows of these numbers that no request holds now (the sweep deletes them)."""
    return list(OtpPhone.objects.filter(phone__in=phones).order_by("pk").select_for_update(skip_locked=True))
