import pytest

from users.tests.otp import SentCodes


@pytest.fixture
def sms(db):
    """The sign-in codes the shop queued to send."""
    return SentCodes()
