"""The SMS with a sign-in code: sent through the AfroMessage backend to the sandbox gateway over
real HTTP, in the request's language, in one SMS part, and forgotten by the outbox once sent."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from ecommerce.outbox.models import OutboxSms
from ecommerce.outbox.sms_parts import sms_parts
from users.sms import OTP_CODE, _otp_code
from users.tests.otp import code_in, request_code, verify_code

pytestmark = pytest.mark.django_db


def test_the_code_arrives_at_the_gateway_and_signs_in(sms_gateway, django_capture_on_commit_callbacks):
    # given / when
    with django_capture_on_commit_callbacks(execute=True):
        assert request_code(APIClient(), phone="+251 911-234567").status_code == 202

    # then
    [received] = sms_gateway.messages()
    assert received["to"] == "251911234567"
    code = code_in(received["message"])
    assert received["message"] == f"{code} is your Shop sign-in code. It expires in 5 min. Never share it."
    response = verify_code(APIClient(), code)
    assert response.status_code == 200 and response.json()["created"] is True


def test_the_sms_is_in_the_language_the_code_was_asked_in(sms_gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_code(APIClient(), HTTP_ACCEPT_LANGUAGE="am")

    [received] = sms_gateway.messages(to="251911234567")
    code = code_in(received["message"])
    assert received["message"] == f"{code} የShop መግቢያ ኮድ ነው፤ ለ5 ደቂቃ ያገለግላል። ለማንም አይስጡ።"


def test_the_outbox_forgets_the_code_once_sent(sms_gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_code(APIClient())

    code = code_in(sms_gateway.messages()[0]["message"])
    sms = OutboxSms.objects.get(kind=OTP_CODE)
    assert (sms.status, sms.context, sms.text) == ("sent", {}, "")
    assert code not in str(OutboxSms.objects.values().get())


def test_a_refused_request_sends_nothing(sms_gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_code(APIClient())
        assert request_code(APIClient()).status_code == 429
        assert request_code(APIClient(), phone="+254711234567").status_code == 400

    assert len(sms_gateway.messages()) == 1
    assert OutboxSms.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "am"])
def test_the_code_fits_one_sms_part(settings, language):
    # the longest realistic values: a shop name of 20 letters, a code valid for 10 minutes
    settings.SHOP_NAME = "Addis Merkato Online"
    with translation.override(language):
        text = _otp_code({"code": "987654", "minutes": 10})

    assert "987654" in text and "Addis Merkato Online" in text
    parts = sms_parts(text)
    assert (parts.encoding, parts.parts) == ({"en": "gsm7", "am": "ucs2"}[language], 1), (text, parts)
