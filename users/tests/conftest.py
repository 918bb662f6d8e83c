import pytest

from users.tests.otp import SentCodes


@pytest.fixture
def sms(monkeypatch):
    """The sign-in codes the shop sends, read where they leave it."""
    sent = SentCodes()
    monkeypatch.setattr("users.services.otp_code_sms", sent)
    return sent
