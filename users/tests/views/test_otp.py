"""Sign-in by a code sent by SMS: otp/request/ and otp/verify/, every rule of the contract."""

import hashlib
import hmac
import logging

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from conftest import client_for
from ecommerce.common.validators import PHONE_INVALID
from users.authentication import TOKEN_VERSION_CLAIM
from users.exceptions import (
    ACCOUNT_INACTIVE,
    OTP_EXPIRED,
    OTP_INVALID,
    OTP_PHONE_LIMIT,
    OTP_RESEND_TOO_SOON,
    OTP_SHOP_LIMIT,
    PASSWORD_REQUIRED,
)
from users.models import PHONE_TAKEN, OneTimeCode, OtpPhone
from users.tests.factories import StaffFactory, UserFactory
from users.tests.otp import PHONE, age_codes, request_code, verify_code

User = get_user_model()
pytestmark = pytest.mark.django_db
ME = reverse("users:me")
SENT = {"detail": "If this number can receive SMS, a code is on its way.", "expires_in": 300, "resend_in": 60}


def error(code: str, detail) -> dict:
    return {"detail": str(detail), "code": code}


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


class TestRequest:
    def test_a_code_is_sent_and_only_its_keyed_hash_is_kept(self, api_client, sms):
        response = request_code(api_client)

        assert response.status_code == 202
        assert response.json() == SENT
        code = sms.last()
        assert len(code) == 6 and code.isascii() and code.isdigit()
        stored = OneTimeCode.objects.get()
        assert stored.phone == PHONE
        assert code not in {stored.code_hash, stored.salt}
        # an HMAC under the shop's secret with the code's own salt: the table alone tests no code
        keyed = hmac.new(settings.SECRET_KEY.encode(), f"{stored.salt}:{code}".encode(), hashlib.sha256)
        assert stored.code_hash == keyed.hexdigest()
        assert stored.code_hash != hashlib.sha256(f"{stored.salt}:{code}".encode()).hexdigest()
        assert (stored.expires_at - stored.created_at).total_seconds() == 300

    def test_each_code_has_its_own_salt(self, api_client, sms):
        request_code(api_client)
        request_code(api_client, phone="0711234567")
        assert len(set(OneTimeCode.objects.values_list("salt", flat=True))) == 2

    def test_the_code_lives_otp_ttl_seconds(self, api_client, sms, settings):
        settings.OTP_TTL_SECONDS = 120
        response = request_code(api_client)
        assert response.json()["expires_in"] == 120
        stored = OneTimeCode.objects.get()
        assert (stored.expires_at - stored.created_at).total_seconds() == 120

    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("0911 23 45 67", "0911234567"),
            ("+251 911-234567", "0911234567"),
            ("251711234567", "0711234567"),
            ("(0711) 23-45-67", "0711234567"),
        ],
    )
    def test_any_usual_form_of_the_number(self, api_client, sms, given, stored):
        assert request_code(api_client, phone=given).status_code == 202
        assert sms.sent[0][0] == stored
        assert OneTimeCode.objects.get().phone == stored

    @pytest.mark.parametrize(
        "phone",
        ["0111234567", "0811234567", "+254711234567", "+1 555 0100", "091123456", "09112345678", "0911-CALLME", ""],
    )
    def test_anything_but_an_ethiopian_mobile_number_is_phone_invalid(self, api_client, sms, phone):
        response = request_code(api_client, phone=phone)

        assert response.status_code == 400
        assert response.json() == error("phone_invalid", PHONE_INVALID)
        assert not OneTimeCode.objects.exists() and not OtpPhone.objects.exists()
        assert sms.sent == []

    def test_the_answer_is_the_same_whether_or_not_an_account_has_the_number(self, sms):
        UserFactory(phone=PHONE, phone_verified=True)
        known = request_code(APIClient(), phone=PHONE)
        unknown = request_code(APIClient(), phone="0922334455")

        assert (known.status_code, known.json()) == (unknown.status_code, unknown.json()) == (202, SENT)
        assert sorted(known.headers) == sorted(unknown.headers)
        assert (sms.count(PHONE), sms.count("0922334455")) == (1, 1)

    def test_the_sms_is_in_the_requests_language(self, api_client, sms):
        response = request_code(api_client, HTTP_ACCEPT_LANGUAGE="am")
        assert response.status_code == 202
        assert response.json()["detail"] == "ይህ ቁጥር ኤስኤምኤስ መቀበል ከቻለ ኮዱ እየደረሰ ነው።"
        assert sms.sent[0][2] == "am"

    def test_within_a_minute_nothing_is_sent_and_it_is_a_429(self, api_client, sms):
        request_code(api_client)
        age_codes(30)

        response = request_code(api_client)

        assert response.status_code == 429
        assert response.json() == error("otp_resend_too_soon", OTP_RESEND_TOO_SOON)
        assert 29 <= int(response["Retry-After"]) <= 30
        assert OneTimeCode.objects.count() == 1 and sms.count() == 1

    def test_a_new_code_replaces_the_earlier_one(self, api_client, sms):
        request_code(api_client)
        first = sms.last()
        age_codes(61)

        assert request_code(api_client).status_code == 202

        second = sms.last()
        if first != second:  # one in a million they are the same
            assert verify_code(APIClient(), first).json() == error("otp_invalid", OTP_INVALID)
        assert verify_code(APIClient(), second).status_code == 200

    def test_five_codes_an_hour_to_one_number(self, api_client, sms):
        for _ in range(5):
            assert request_code(api_client).status_code == 202
            age_codes(10 * 60)  # past the resend delay; the first stays in the hour

        response = request_code(api_client)

        assert response.status_code == 429
        assert response.json() == error("otp_phone_limit", OTP_PHONE_LIMIT)
        # the hour's first code leaves the hour in 10 minutes
        assert 9 * 60 <= int(response["Retry-After"]) <= 10 * 60
        assert OneTimeCode.objects.count() == 5 and sms.count() == 5
        # another number is not held back
        assert request_code(api_client, phone="0711234567").status_code == 202
        age_codes(10 * 60 + 1, phone=PHONE)
        assert request_code(api_client).status_code == 202

    def test_ten_codes_a_day_to_one_number(self, api_client, sms):
        for _ in range(10):
            assert request_code(api_client).status_code == 202
            age_codes(61 * 60)  # past the hour's limit; all stay in the day

        response = request_code(api_client)

        assert response.status_code == 429
        assert response.json() == error("otp_phone_limit", OTP_PHONE_LIMIT)
        # the day's first code, sent 10 h 10 min ago, leaves the day in 13 h 50 min
        assert int(response["Retry-After"]) == pytest.approx(24 * 3600 - 10 * 61 * 60, abs=2)
        assert OneTimeCode.objects.count() == 10 and sms.count() == 10
        age_codes(24 * 3600 - 10 * 61 * 60 + 1)
        assert request_code(api_client).status_code == 202

    def test_the_shops_hourly_cap_refuses_everyone_and_tells_staff_once(
        self, api_client, sms, settings, django_capture_on_commit_callbacks
    ):
        # given a shop that may send 3 codes an hour, two staff (one reads Amharic), and 3 sent
        settings.OTP_HOURLY_LIMIT = 3
        StaffFactory(email="owner@example.et", language="en")
        StaffFactory(email="clerk@example.et", language="am")
        UserFactory(email="customer@example.et")
        for phone in ("0911000001", "0911000002", "0911000003"):
            assert request_code(api_client, phone=phone).status_code == 202
        age_codes(20 * 60)

        # when more numbers ask
        with django_capture_on_commit_callbacks(execute=True):
            responses = [request_code(api_client, phone=phone) for phone in ("0911000004", "0711000005")]

        # then every one is refused, nothing is sent, and each staff member got one e-mail
        for response in responses:
            assert response.status_code == 429
            assert response.json() == error("otp_shop_limit", OTP_SHOP_LIMIT)
            assert 39 * 60 <= int(response["Retry-After"]) <= 40 * 60
        assert OneTimeCode.objects.count() == 3 and len(sms.sent) == 3
        assert sorted(message.to[0] for message in mail.outbox) == ["clerk@example.et", "owner@example.et"]
        subjects = {message.to[0]: message.subject for message in mail.outbox}
        assert subjects["owner@example.et"].endswith("Sign-in codes stopped: 3 sent in an hour")
        assert subjects["clerk@example.et"].endswith("የመግቢያ ኮዶች ቆሙ፦ በአንድ ሰዓት 3 ተልከዋል")
        body = next(message.body for message in mail.outbox if message.to == ["owner@example.et"])
        assert "it sent 3 codes in the last hour" in body
        # as the hour's codes grow old, codes go out again
        age_codes(40 * 60 + 1)
        assert request_code(api_client, phone="0911000004").status_code == 202

    def test_codes_are_never_logged_nor_returned(self, api_client, sms, caplog):
        caplog.set_level(logging.DEBUG)
        response = request_code(api_client)
        code = sms.last()
        answers = [response, verify_code(api_client, wrong(code)), verify_code(api_client, code)]

        assert all(code not in answer.content.decode() for answer in answers)
        assert code not in caplog.text
        assert all(code not in str(value) for value in OneTimeCode.objects.values().get().values())


class TestVerifyAnonymous:
    def test_a_new_number_creates_a_customer_and_signs_them_in(self, sms):
        request_code(APIClient())

        response = verify_code(APIClient(), sms.last(), HTTP_ACCEPT_LANGUAGE="am")

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"access", "refresh", "created"} and body["created"] is True
        user = User.objects.get()
        assert (user.phone, user.phone_verified, user.language, user.email) == (PHONE, True, "am", "")
        assert user.username.startswith("customer-") and not user.has_usable_password()
        assert not user.is_staff
        # the usual pair, as login/ issues it: it opens me/ and refreshes
        access = AccessToken(body["access"])
        assert (access["user_id"], access[TOKEN_VERSION_CLAIM]) == (str(user.pk), 0)
        me = APIClient()
        me.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
        assert me.get(ME).json()["phone_verified"] is True
        refreshed = APIClient().post(reverse("users:token-refresh"), {"refresh": body["refresh"]})
        assert refreshed.status_code == 200

    def test_the_account_of_the_verified_number_is_signed_in(self, sms):
        owner = UserFactory(phone=PHONE, phone_verified=True)
        UserFactory(phone=PHONE)  # typed into a profile, never verified: not theirs to sign in
        request_code(APIClient())

        response = verify_code(APIClient(), sms.last())

        assert response.status_code == 200
        assert response.json()["created"] is False
        assert AccessToken(response.json()["access"])["user_id"] == str(owner.pk)
        assert User.objects.count() == 2
        owner.refresh_from_db()
        assert owner.last_login is not None

    def test_a_number_without_a_verified_account_gets_a_new_one(self, sms):
        unverified = UserFactory(phone=PHONE)
        request_code(APIClient())

        response = verify_code(APIClient(), sms.last())

        assert response.json()["created"] is True
        assert AccessToken(response.json()["access"])["user_id"] != str(unverified.pk)
        assert User.objects.filter(phone=PHONE, phone_verified=True).count() == 1

    def test_a_disabled_account_is_not_signed_in(self, sms):
        UserFactory(phone=PHONE, phone_verified=True, is_active=False)
        request_code(APIClient())

        response = verify_code(APIClient(), sms.last())

        assert response.status_code == 403
        assert response.json() == error("account_inactive", ACCOUNT_INACTIVE)
        assert User.objects.count() == 1

    def test_a_staff_account_is_not_signed_in_by_a_code(self, sms):
        StaffFactory(phone=PHONE, phone_verified=True)
        request_code(APIClient())

        response = verify_code(APIClient(), sms.last())

        assert response.status_code == 403
        assert response.json() == error("password_required", PASSWORD_REQUIRED)
        assert OneTimeCode.objects.get().used_at is not None  # spent all the same

    def test_a_wrong_code_is_otp_invalid_and_counts_a_try(self, api_client, sms):
        request_code(api_client)

        response = verify_code(api_client, wrong(sms.last()))

        assert response.status_code == 400
        assert response.json() == error("otp_invalid", OTP_INVALID)
        assert OneTimeCode.objects.get().attempts == 1
        assert not User.objects.exists()

    @pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
    def test_a_code_of_another_shape_is_a_wrong_code(self, api_client, sms, code):
        request_code(api_client)
        response = verify_code(api_client, code)
        if code == "":
            assert response.status_code == 400 and "code" in response.json()
        else:
            assert response.json() == error("otp_invalid", OTP_INVALID)
            assert OneTimeCode.objects.get().attempts == 1

    def test_the_fifth_wrong_try_ends_the_code(self, api_client, sms):
        request_code(api_client)
        code = sms.last()
        answers = [verify_code(api_client, wrong(code)).json() for _ in range(5)]

        assert answers == [error("otp_invalid", OTP_INVALID)] * 4 + [error("otp_expired", OTP_EXPIRED)]
        # even the right code is refused now
        assert verify_code(api_client, code).json() == error("otp_expired", OTP_EXPIRED)
        assert OneTimeCode.objects.get().attempts == 5
        assert not User.objects.exists()

    def test_an_expired_code_is_refused(self, api_client, sms):
        request_code(api_client)
        age_codes(301)

        response = verify_code(api_client, sms.last())

        assert response.status_code == 400
        assert response.json() == error("otp_expired", OTP_EXPIRED)
        assert not User.objects.exists()

    def test_a_right_code_works_once(self, sms):
        request_code(APIClient())
        code = sms.last()
        assert verify_code(APIClient(), code).status_code == 200

        replay = verify_code(APIClient(), code)

        assert replay.status_code == 400
        assert replay.json() == error("otp_expired", OTP_EXPIRED)
        assert User.objects.count() == 1

    def test_a_number_never_sent_a_code(self, api_client):
        response = verify_code(api_client, "123456")
        assert response.json() == error("otp_expired", OTP_EXPIRED)
        assert not OtpPhone.objects.exists()

    def test_an_invalid_number_is_phone_invalid(self, api_client):
        response = verify_code(api_client, "123456", phone="+254711234567")
        assert response.status_code == 400
        assert response.json() == error("phone_invalid", PHONE_INVALID)

    def test_the_code_is_compared_in_constant_time(self, api_client, sms, monkeypatch):
        compared, constant_time = [], hmac.compare_digest

        def compare_digest(a, b):
            compared.append((a, b))
            return constant_time(a, b)

        monkeypatch.setattr("users.services.hmac.compare_digest", compare_digest)
        request_code(api_client)

        verify_code(api_client, wrong(sms.last()))
        verify_code(api_client, sms.last())

        stored = OneTimeCode.objects.get().code_hash
        assert [b for _, b in compared if b == stored] == [stored, stored]


class TestVerifySignedIn:
    def test_the_phone_is_verified_for_the_callers_account(self, user, sms):
        client = client_for(user)
        request_code(client)

        response = verify_code(client, sms.last())

        assert response.status_code == 200
        assert response.json()["id"] == user.pk
        assert (response.json()["phone"], response.json()["phone_verified"]) == (PHONE, True)
        user.refresh_from_db()
        assert (user.phone, user.phone_verified) == (PHONE, True)
        assert User.objects.count() == 1

    def test_a_phone_verified_on_another_account_is_phone_taken(self, user, sms):
        owner = UserFactory(phone=PHONE, phone_verified=True)
        client = client_for(user)
        request_code(client)

        response = verify_code(client, sms.last())

        assert response.status_code == 409
        assert response.json() == error("phone_taken", PHONE_TAKEN)
        user.refresh_from_db()
        assert (user.phone, user.phone_verified) == ("", False)
        assert User.objects.get(phone_verified=True) == owner

    def test_a_code_used_by_another_account_is_phone_taken(self, user, other_user, sms):
        request_code(client_for(other_user))
        code = sms.last()
        assert verify_code(client_for(other_user), code).status_code == 200

        late = verify_code(client_for(user), code)
        own_replay = verify_code(client_for(other_user), code)
        anonymous_replay = verify_code(APIClient(), code)

        assert late.status_code == 409 and late.json() == error("phone_taken", PHONE_TAKEN)
        assert own_replay.json() == anonymous_replay.json() == error("otp_expired", OTP_EXPIRED)
        assert verify_code(client_for(user), wrong(code)).json() == error("otp_expired", OTP_EXPIRED)
        user.refresh_from_db()
        assert not user.phone_verified

    def test_a_wrong_code_verifies_nothing(self, user, sms):
        client = client_for(user)
        request_code(client)
        assert verify_code(client, wrong(sms.last())).json() == error("otp_invalid", OTP_INVALID)
        user.refresh_from_db()
        assert not user.phone_verified


class TestProfilePhone:
    def test_changing_the_phone_makes_it_unverified(self, sms):
        user = UserFactory(phone=PHONE, phone_verified=True)
        client = client_for(user)

        same = client.patch(ME, {"phone": "+251 911 23 45 67"})
        assert same.json()["phone_verified"] is True

        changed = client.patch(ME, {"phone": "0711234567"})

        assert changed.status_code == 200
        assert (changed.json()["phone"], changed.json()["phone_verified"]) == ("0711234567", False)
        user.refresh_from_db()
        assert not user.phone_verified

    def test_phone_verified_cannot_be_written(self, auth_client, user):
        response = auth_client.patch(ME, {"phone_verified": True})
        assert response.status_code == 400
        user.refresh_from_db()
        assert not user.phone_verified
