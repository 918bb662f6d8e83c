"""Sign-in by a one-time code sent by SMS, and its limits against guessing and SMS pumping."""

from ecommerce.settings.environment import env_int

# How long a code may be used.
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 300)
# Codes the whole shop sends in an hour, whoever asks: bots asking for codes to many numbers
# (SMS pumping) run up the gateway's bill until this cap stops them and staff are told.
OTP_HOURLY_LIMIT = env_int("OTP_HOURLY_LIMIT", 500)
