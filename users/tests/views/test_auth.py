import re
from datetime import timedelta

import factory
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from conftest import client_for
from ecommerce.common.validators import PHONE_INVALID
from users.authentication import TOKEN_REVOKED
from users.models import USERNAME_INVALID
from users.services import (
    CURRENT_PASSWORD_REQUIRED,
    CURRENT_PASSWORD_WRONG,
    EMAIL_TAKEN,
    OLD_PASSWORD_WRONG,
    RESET_LINK_INVALID,
)
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Strong-77"


def _login(client, username, password=DEFAULT_PASSWORD):
    return client.post(reverse("users:login"), {"username": username, "password": password})


def _session(user) -> dict:
    """A logged-in session of the user: its access and refresh token, as the API issued them."""
    return _login(APIClient(), user.username).json()


def _bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def _assert_ended(session: dict) -> None:
    me = _bearer(session["access"]).get(reverse("users:me"))
    assert me.status_code == 401
    assert me.json() == {"detail": TOKEN_REVOKED, "code": "token_revoked"}
    assert APIClient().post(reverse("users:token-refresh"), {"refresh": session["refresh"]}).status_code == 401


class TestRegister:
    def test_creates_user_without_exposing_password(self, api_client):
        response = api_client.post(
            reverse("users:register"),
            {"username": "hana", "email": "hana@example.et", "password": "Str0ng-Passw0rd", "first_name": "Hana"},
        )
        assert response.status_code == 201
        assert response.json() == {
            "id": response.json()["id"],
            "username": "hana",
            "email": "hana@example.et",
            "first_name": "Hana",
            "last_name": "",
            "phone": "",
            "phone_verified": False,
            "language": "en",
            "sms_notifications": True,
            "is_staff": False,
        }
        user = User.objects.get(username="hana")
        assert user.check_password("Str0ng-Passw0rd")
        assert not user.is_staff

    def test_email_is_unique_case_insensitively(self, api_client, user):
        response = api_client.post(
            reverse("users:register"),
            {"username": "someone", "email": user.email.upper(), "password": "Str0ng-Passw0rd"},
        )
        assert response.status_code == 400
        assert response.json() == {"email": [EMAIL_TAKEN]}
        assert not User.objects.filter(username="someone").exists()

    def test_duplicate_username(self, api_client, user):
        response = api_client.post(
            reverse("users:register"),
            {"username": user.username, "email": "new@example.et", "password": "Str0ng-Passw0rd"},
        )
        assert response.status_code == 400
        assert "username" in response.json()

    def test_every_field_wrong_at_once_is_answered_at_once(self, api_client, user):
        response = api_client.post(
            reverse("users:register"), {"username": "no spaces", "email": user.email, "password": "short"}
        )
        assert response.status_code == 400
        body = response.json()
        assert (body["username"], body["email"]) == ([USERNAME_INVALID], [EMAIL_TAKEN])
        assert any("too short" in message for message in body["password"])

    @pytest.mark.parametrize(
        ("password", "fragment"),
        [("short", "too short"), ("password123", "too common"), ("83749201938", "entirely numeric")],
    )
    def test_password_validators_apply(self, api_client, password, fragment):
        response = api_client.post(
            reverse("users:register"), {"username": "weak", "email": "weak@example.et", "password": password}
        )
        assert response.status_code == 400
        assert any(fragment in message for message in response.json()["password"])
        assert not User.objects.filter(username="weak").exists()

    @pytest.mark.parametrize("username", ["almaz@example.et", "almaz@", "@almaz"])
    def test_username_may_not_contain_an_at_sign(self, api_client, username):
        response = api_client.post(
            reverse("users:register"),
            {"username": username, "email": "almaz@example.et", "password": "Str0ng-Passw0rd"},
        )
        assert response.status_code == 400
        assert response.json() == {"username": [USERNAME_INVALID]}
        assert not User.objects.exists()

    def test_missing_fields(self, api_client):
        response = api_client.post(reverse("users:register"), {})
        assert response.status_code == 400
        assert set(response.json()) == {"username", "email", "password"}


class TestLogin:
    def test_by_username(self, api_client, user):
        response = _login(api_client, user.username)
        assert response.status_code == 200
        assert set(response.json()) == {"access", "refresh"}

    def test_by_email_any_case(self, api_client, user):
        response = _login(api_client, user.email.upper())
        assert response.status_code == 200

    def test_by_email_even_when_an_old_account_took_it_as_username(self, api_client, user):
        UserFactory(username=user.email, password=factory.django.Password("Squatters-Own-9"))  # made before the rule
        response = _login(api_client, user.email)
        assert response.status_code == 200
        assert _bearer(response.json()["access"]).get(reverse("users:me")).json()["username"] == user.username

    def test_wrong_password_is_401(self, api_client, user):
        assert _login(api_client, user.username, "wrong-password").status_code == 401

    def test_unknown_user_is_401(self, api_client):
        assert _login(api_client, "nobody@example.et").status_code == 401

    def test_inactive_user_is_401(self, api_client):
        user = UserFactory(is_active=False)
        assert _login(api_client, user.username).status_code == 401

    def test_token_opens_protected_endpoint(self, api_client, user):
        access = _login(api_client, user.username).json()["access"]
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        assert api_client.get(reverse("users:me")).json()["username"] == user.username


class TestRefreshAndLogout:
    def test_refresh_rotates_and_blacklists_the_old_token(self, api_client, user):
        refresh = _login(api_client, user.username).json()["refresh"]
        response = api_client.post(reverse("users:token-refresh"), {"refresh": refresh})
        assert response.status_code == 200
        assert set(response.json()) == {"access", "refresh"}
        assert response.json()["refresh"] != refresh
        again = api_client.post(reverse("users:token-refresh"), {"refresh": refresh})
        assert again.status_code == 401

    def test_logout_blacklists_refresh(self, api_client, user):
        tokens = _login(api_client, user.username).json()
        client = client_for(user)
        response = client.post(reverse("users:logout"), {"refresh": tokens["refresh"]})
        assert response.status_code == 205
        refreshed = api_client.post(reverse("users:token-refresh"), {"refresh": tokens["refresh"]})
        assert refreshed.status_code == 401

    def test_logout_needs_authentication(self, api_client, user):
        refresh = str(RefreshToken.for_user(user))
        assert api_client.post(reverse("users:logout"), {"refresh": refresh}).status_code == 401

    def test_logout_with_garbage_token_is_400(self, auth_client):
        response = auth_client.post(reverse("users:logout"), {"refresh": "not-a-token"})
        assert response.status_code == 400
        assert "refresh" in response.json()

    def test_cannot_log_out_someone_else(self, auth_client, other_user, api_client):
        refresh = str(RefreshToken.for_user(other_user))
        assert auth_client.post(reverse("users:logout"), {"refresh": refresh}).status_code == 400
        assert api_client.post(reverse("users:token-refresh"), {"refresh": refresh}).status_code == 200


class TestMe:
    def test_anonymous_is_401(self, api_client):
        assert api_client.get(reverse("users:me")).status_code == 401

    def test_bad_token_is_401(self, api_client):
        api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
        assert api_client.get(reverse("users:me")).status_code == 401

    def test_get_profile(self, auth_client, user):
        response = auth_client.get(reverse("users:me"))
        assert response.status_code == 200
        assert response.json() == {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": "",
            "phone_verified": False,
            "language": "en",
            "sms_notifications": True,
            "is_staff": False,
        }

    def test_patch_normalises_phone(self, auth_client, user):
        response = auth_client.patch(reverse("users:me"), {"first_name": "Almaz", "phone": "+251 911 234 567"})
        assert response.status_code == 200
        assert response.json()["phone"] == "0911234567"
        user.refresh_from_db()
        assert (user.first_name, user.phone) == ("Almaz", "0911234567")

    def test_patch_turns_sms_notifications_off_and_on(self, auth_client, user):
        response = auth_client.patch(reverse("users:me"), {"sms_notifications": False}, format="json")
        assert response.status_code == 200
        assert response.json()["sms_notifications"] is False
        user.refresh_from_db()
        assert user.sms_notifications is False
        response = auth_client.patch(reverse("users:me"), {"sms_notifications": True}, format="json")
        user.refresh_from_db()
        assert response.json()["sms_notifications"] is True and user.sms_notifications is True

    def test_patch_refuses_an_sms_notifications_that_is_not_a_boolean(self, auth_client, user):
        response = auth_client.patch(reverse("users:me"), {"sms_notifications": "sometimes"}, format="json")
        assert response.status_code == 400
        assert "sms_notifications" in response.json()
        user.refresh_from_db()
        assert user.sms_notifications is True

    def test_patch_rejects_foreign_phone(self, auth_client):
        response = auth_client.patch(reverse("users:me"), {"phone": "+1 555 0100"})
        assert response.status_code == 400
        assert "phone" in response.json()

    def test_patch_email_taken(self, auth_client, other_user):
        response = auth_client.patch(
            reverse("users:me"), {"email": other_user.email.title(), "current_password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 400
        assert response.json() == {"email": [EMAIL_TAKEN]}

    def test_patch_answers_a_taken_email_and_a_bad_phone_together(self, auth_client, other_user):
        response = auth_client.patch(
            reverse("users:me"), {"email": other_user.email, "current_password": DEFAULT_PASSWORD, "phone": "abc"}
        )
        assert response.status_code == 400
        assert response.json() == {"email": [EMAIL_TAKEN], "phone": [PHONE_INVALID]}

    def test_an_unknown_field_is_answered_with_the_others_errors(self, auth_client):
        response = auth_client.patch(reverse("users:me"), {"is_staff": True, "email": "not-an-address"})
        assert response.status_code == 400
        assert response.json() == {"is_staff": ["Unknown field."], "email": ["Enter a valid email address."]}

    def test_cannot_make_oneself_staff(self, auth_client, user):
        response = auth_client.patch(reverse("users:me"), {"is_staff": True})
        assert response.status_code == 400
        assert response.json() == {"is_staff": ["Unknown field."]}
        user.refresh_from_db()
        assert not user.is_staff


class TestEmailChange:
    NEW_EMAIL = "new-address@example.et"

    def _patch(self, session, **body):
        return _bearer(session["access"]).patch(reverse("users:me"), body)

    def test_needs_the_current_password(self, user):
        session = _session(user)
        response = self._patch(session, email=self.NEW_EMAIL)
        assert response.status_code == 400
        assert response.json() == {"current_password": [CURRENT_PASSWORD_REQUIRED]}
        user.refresh_from_db()
        assert user.email != self.NEW_EMAIL

    def test_wrong_current_password(self, user):
        response = self._patch(_session(user), email=self.NEW_EMAIL, current_password="not-it")
        assert response.status_code == 400
        assert response.json() == {"current_password": [CURRENT_PASSWORD_WRONG]}
        user.refresh_from_db()
        assert user.email != self.NEW_EMAIL

    def test_changes_the_address_and_ends_every_session(self, user):
        # given the user logged in twice (phone and laptop)
        phone, laptop = _session(user), _session(user)

        # when the phone changes the address
        response = self._patch(phone, email=self.NEW_EMAIL, current_password=DEFAULT_PASSWORD)

        # then the answer is the new profile, both sessions are over, and the new address logs in
        assert response.status_code == 200
        assert response.json()["email"] == self.NEW_EMAIL
        _assert_ended(phone)
        _assert_ended(laptop)
        assert _login(APIClient(), self.NEW_EMAIL).status_code == 200

    def test_the_same_address_needs_no_password_and_ends_nothing(self, user):
        session = _session(user)
        response = self._patch(session, email=user.email, first_name="Tigist")
        assert response.status_code == 200
        assert _bearer(session["access"]).get(reverse("users:me")).json()["first_name"] == "Tigist"

    def test_a_stolen_access_token_cannot_take_the_account_after_a_password_change(self, user):
        # given a thief holding a copy of the user's access token
        stolen = _session(user)
        # when the user changes the password
        changed = _bearer(_session(user)["access"]).post(
            reverse("users:password-change"), {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert changed.status_code == 204
        # then the stolen token can no longer change the e-mail (nor anything else)
        response = self._patch(stolen, email="thief@example.et", current_password=NEW_PASSWORD)
        assert response.status_code == 401
        user.refresh_from_db()
        assert user.email != "thief@example.et"


class TestPasswordChange:
    def test_changes_password_and_revokes_refresh_tokens(self, api_client, user):
        refresh = _login(api_client, user.username).json()["refresh"]
        response = client_for(user).post(
            reverse("users:password-change"), {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 204
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert api_client.post(reverse("users:token-refresh"), {"refresh": refresh}).status_code == 401

    def test_ends_every_session_access_tokens_included(self, user):
        session = _session(user)
        response = _bearer(session["access"]).post(
            reverse("users:password-change"), {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 204
        _assert_ended(session)
        fresh = _login(APIClient(), user.username, NEW_PASSWORD).json()
        assert _bearer(fresh["access"]).get(reverse("users:me")).status_code == 200

    def test_wrong_old_password(self, auth_client, user):
        response = auth_client.post(
            reverse("users:password-change"), {"old_password": "nope", "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 400
        assert response.json() == {"old_password": [OLD_PASSWORD_WRONG]}
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)

    def test_weak_new_password(self, auth_client):
        response = auth_client.post(
            reverse("users:password-change"), {"old_password": DEFAULT_PASSWORD, "new_password": "123"}
        )
        assert response.status_code == 400
        assert "new_password" in response.json()

    def test_anonymous(self, api_client):
        response = api_client.post(reverse("users:password-change"), {"old_password": "a", "new_password": "b"})
        assert response.status_code == 401


class TestPasswordReset:
    def _reset_details(self, message) -> tuple[str, str]:
        uid = re.search(r"uid:\s+(\S+)", message.body).group(1)
        token = re.search(r"token:\s+(\S+)", message.body).group(1)
        return uid, token

    def test_full_reset_flow(self, api_client, user, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(reverse("users:password-reset"), {"email": user.email.upper()})
        assert response.status_code == 204
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [user.email]
        assert message.alternatives[0][1] == "text/html"
        uid, token = self._reset_details(message)

        confirm = api_client.post(
            reverse("users:password-reset-confirm"), {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
        )
        assert confirm.status_code == 204
        assert _login(api_client, user.username, NEW_PASSWORD).status_code == 200
        # The token is single-use: the password it was made for has changed.
        reuse = api_client.post(
            reverse("users:password-reset-confirm"), {"uid": uid, "token": token, "new_password": "Third-Pass-99"}
        )
        assert reuse.status_code == 400
        assert reuse.json() == {"token": [RESET_LINK_INVALID]}

    def test_reset_ends_every_session_access_tokens_included(self, api_client, user):
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        session = _session(user)
        user.refresh_from_db()  # the login changed last_login, which reset tokens depend on
        confirm = api_client.post(
            reverse("users:password-reset-confirm"),
            {
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
                "new_password": NEW_PASSWORD,
            },
        )
        assert confirm.status_code == 204
        _assert_ended(session)

    def test_unknown_email_answers_the_same_and_sends_nothing(self, api_client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(reverse("users:password-reset"), {"email": "ghost@example.et"})
        assert response.status_code == 204
        assert mail.outbox == []

    def test_bad_token(self, api_client, user):
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        uid = urlsafe_base64_encode(force_bytes(user.pk))
        response = api_client.post(
            reverse("users:password-reset-confirm"), {"uid": uid, "token": "abc-123", "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 400
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)

    @pytest.mark.parametrize("uid", ["%%%", "MTIzNDU2Nzg5", ""])
    def test_bad_uid(self, api_client, uid):
        response = api_client.post(
            reverse("users:password-reset-confirm"), {"uid": uid, "token": "x", "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 400

    def test_expired_token(self, api_client, user, settings):
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        token = default_token_generator.make_token(user)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        settings.PASSWORD_RESET_TIMEOUT = int(timedelta(seconds=-1).total_seconds())
        response = api_client.post(
            reverse("users:password-reset-confirm"), {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 400


THROTTLED_SCOPES = pytest.mark.parametrize(
    ("scope", "url_name", "payload"),
    [
        ("login", "users:login", {"username": "x", "password": "y"}),
        ("register", "users:register", {}),
        ("password_reset", "users:password-reset", {"email": "x@example.et"}),
        ("otp", "users:otp-request", {}),
        ("otp", "users:otp-verify", {}),
    ],
)


def _set_rate(settings, scope, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope: rate},
    }


class TestThrottling:
    @THROTTLED_SCOPES
    def test_scope_is_throttled_with_retry_after(self, api_client, settings, scope, url_name, payload):
        _set_rate(settings, scope, "3/min")
        statuses = [api_client.post(reverse(url_name), payload).status_code for _ in range(4)]
        assert 429 not in statuses[:3]
        assert statuses[3] == 429
        response = api_client.post(reverse(url_name), payload)
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0

    @THROTTLED_SCOPES
    def test_a_new_x_forwarded_for_on_each_request_does_not_escape(
        self, api_client, settings, scope, url_name, payload
    ):
        _set_rate(settings, scope, "3/min")
        statuses = [
            api_client.post(reverse(url_name), payload, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(5)
        ]
        assert statuses[3:] == [429, 429]

    def test_behind_a_proxy_the_client_is_the_address_it_saw(self, api_client, settings):
        # given one proxy in front that appends the address it saw
        settings.TRUSTED_PROXIES = 1
        _set_rate(settings, "login", "3/min")
        payload = {"username": "x", "password": "y"}

        def login_from(forwarded):
            return api_client.post(reverse("users:login"), payload, HTTP_X_FORWARDED_FOR=forwarded).status_code

        # when one client writes something new in front of its address each time
        statuses = [login_from(f"10.9.9.{n}, 203.0.113.7") for n in range(4)]

        # then it is throttled all the same, and another client behind the same proxy is not
        assert statuses[3] == 429
        assert login_from("203.0.113.8") == 401
