"""Every kind of bad token is a 401."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from users.services import user_tokens_revoke
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ME = reverse("users:me")


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_valid_token_is_accepted(user):
    assert with_token(str(AccessToken.for_user(user))).get(ME).status_code == 200


def test_expired_token(user):
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    response = with_token(str(token)).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_tampered_payload_keeps_no_signature(user, other_user):
    header, payload, signature = str(AccessToken.for_user(user)).split(".")
    forged_payload = str(AccessToken.for_user(other_user)).split(".")[1]
    assert with_token(f"{header}.{forged_payload}.{signature}").get(ME).status_code == 401


def test_signed_with_another_key(user):
    claims = dict(AccessToken.for_user(user).payload)
    token = jwt.encode(claims, "not-the-servers-key-but-just-as-long-as-one", algorithm="HS256")
    assert with_token(token).get(ME).status_code == 401


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the forger's problem, not ours
@pytest.mark.parametrize("algorithm", ["HS512", "none"])
def test_wrong_algorithm(user, algorithm):
    claims = dict(AccessToken.for_user(user).payload)
    key = settings.SECRET_KEY if algorithm != "none" else None
    token = jwt.encode(claims, key, algorithm=algorithm)
    assert with_token(token).get(ME).status_code == 401


def test_refresh_token_is_not_an_access_token(user):
    assert with_token(str(RefreshToken.for_user(user))).get(ME).status_code == 401


def test_blacklisted_refresh_token_cannot_be_used(user, api_client):
    refresh = RefreshToken.for_user(user)
    refresh.blacklist()
    response = api_client.post(reverse("users:token-refresh"), {"refresh": str(refresh)})
    assert response.status_code == 401


def test_token_of_a_deactivated_user(user):
    token = str(AccessToken.for_user(user))
    user.is_active = False
    user.save()
    assert with_token(token).get(ME).status_code == 401


def test_token_of_a_deleted_user():
    user = UserFactory()
    token = str(AccessToken.for_user(user))
    user.delete()
    assert with_token(token).get(ME).status_code == 401


def test_refresh_token_of_a_deleted_user():
    user = UserFactory()
    refresh = str(RefreshToken.for_user(user))
    user.delete()
    response = APIClient().post(reverse("users:token-refresh"), {"refresh": refresh})
    assert response.status_code == 401


def test_refresh_token_of_a_deactivated_user(user, api_client):
    refresh = str(RefreshToken.for_user(user))
    user.is_active = False
    user.save()
    assert api_client.post(reverse("users:token-refresh"), {"refresh": refresh}).status_code == 401


def test_tokens_issued_before_a_revocation_are_refused(user, api_client):
    refresh = RefreshToken.for_user(user)
    user_tokens_revoke(user=user)
    assert with_token(str(refresh.access_token)).get(ME).status_code == 401
    assert api_client.post(reverse("users:token-refresh"), {"refresh": str(refresh)}).status_code == 401


def test_refreshed_tokens_keep_their_version(user, api_client):
    user_tokens_revoke(user=user)
    login = api_client.post(reverse("users:login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    refreshed = api_client.post(reverse("users:token-refresh"), {"refresh": login.json()["refresh"]}).json()
    assert with_token(refreshed["access"]).get(ME).status_code == 200
    assert api_client.post(reverse("users:token-refresh"), {"refresh": refreshed["refresh"]}).status_code == 200


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Token abc", "Bearer a.b", "Basic dXNlcjpwYXNz"])
def test_malformed_authorization_headers(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ME).status_code == 401
