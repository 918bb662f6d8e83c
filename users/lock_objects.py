from users.models import OtpPhone


def otp_phone_lock(*, phone: str, create: bool) -> OtpPhone | None:
    """Lock the row of a phone number that asks for or checks a code. Everything about the
    number's codes happens under it: parallel requests for one number queue here, so the resend
    delay, the limits and a code's single use are decided one request at a time. With `create`,
    a number's first request makes its row (parallel first requests make one)."""
    if create:
        OtpPhone.objects.bulk_create([OtpPhone(phone=phone)], ignore_conflicts=True)
    return OtpPhone.objects.select_for_update(of=("self",)).filter(phone=phone).first()
