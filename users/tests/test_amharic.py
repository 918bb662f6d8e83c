"""Accounts in Amharic: sign-up and session errors, the password-reset e-mail."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from users.services import user_tokens_revoke

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def test_a_taken_e_mail_and_a_login_with_an_at_sign_are_refused_in_amharic(api_client, user):
    with translation.override("am"):
        response = api_client.post(
            reverse("users:register"),
            {"username": "almaz@", "email": user.email.upper(), "password": "Str0ng-Passw0rd"},
            **AMHARIC,
        )

    assert response.status_code == 400
    body = response.json()
    assert body["email"] == ["ይህ ኢሜይል ያለው ተጠቃሚ አስቀድሞ አለ።"]
    assert body["username"][0].startswith("ትክክለኛ የተጠቃሚ ስም ያስገቡ፦")


def test_a_revoked_session_is_told_in_amharic_with_its_code(user):
    client = client_for(user)
    user_tokens_revoke(user=user)

    with translation.override("am"):
        response = client.get(reverse("users:me"), **AMHARIC)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "ይህ ክፍለ ጊዜ አብቅቷል (የይለፍ ቃል ወይም ኢሜይል ተቀይሯል)፤ እንደገና ይግቡ።",
        "code": "token_revoked",
    }


def test_the_password_reset_e_mail_reads_in_amharic(user):
    context = {"user": user, "uid": "MQ", "token": "t0k", "reset_url": "https://shop.et/r", "valid_hours": 72}
    context["shop_name"] = "Shop"

    with translation.override("am"):
        text = render_to_string("users/email/password_reset.txt", context, using="email_text")

    assert "የShop መለያዎን የይለፍ ቃል ለመቀየር ጥያቄ ደርሶናል።" in text
    assert "አዲስ የይለፍ ቃል ለመምረጥ ይህን ሊንክ ይክፈቱ (ለ72 ሰዓታት ያገለግላል)፦\nhttps://shop.et/r" in text
