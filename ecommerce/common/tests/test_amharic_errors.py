"""The API's errors in Amharic, Django's, DRF's and SimpleJWT's own messages included (the
project's catalogue gives them the Amharic their packages do not ship); the `code`s stay."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from ecommerce.common import vendor_messages
from ecommerce.common.catalogues import po_read
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def texts(body) -> list[str]:
    """Every message for a person in an error answer: `detail` and field messages, at any depth,
    and SimpleJWT's `messages[].message`; machine values (`code`, token types) are not."""
    if isinstance(body, str):
        return [body]
    if isinstance(body, list):
        return [text for item in body for text in texts(item)]
    if isinstance(body, dict):
        skipped = {"code", "token_class", "token_type"}
        return [text for key, value in body.items() if key not in skipped for text in texts(value)]
    return []


def assert_amharic(response, *values: str) -> None:
    """Written in Amharic: no word in Latin letters, once the values it quotes are taken out."""
    assert response["Content-Language"] == "am"
    found = texts(response.json())
    assert found, response.json()
    for text in found:
        for value in values:
            text = text.replace(value, " ")
        assert not re.search(r"[A-Za-z]", text), (response.status_code, response.json())
        assert re.search(r"[\u1200-\u137f]", text), (response.status_code, response.json())


def register(client, **body):
    return client.post(reverse("users:register"), body, format="json", **AMHARIC)


def test_401_without_a_token(api_client):
    response = api_client.get(reverse("users:me"), **AMHARIC)
    assert response.status_code == 401
    assert_amharic(response)


def test_401_with_a_bad_token(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
    response = api_client.get(reverse("users:me"), **AMHARIC)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    assert_amharic(response)


def test_401_bad_credentials(api_client):
    response = api_client.post(reverse("users:login"), {"username": "nobody", "password": "x"}, **AMHARIC)
    assert response.status_code == 401
    assert_amharic(response)


def test_403_not_staff(auth_client):
    response = auth_client.post(reverse("categories:list"), {"name": "Buna"}, **AMHARIC)
    assert response.status_code == 403
    assert_amharic(response)


@pytest.mark.parametrize("path", ["/api/products/999999/", "/api/no-such-endpoint/"])
def test_404(api_client, path):
    response = api_client.get(path, **AMHARIC)
    assert response.status_code == 404
    assert_amharic(response)


def test_405(auth_client):
    response = auth_client.delete(reverse("users:me"), **AMHARIC)
    assert response.status_code == 405
    assert_amharic(response, "DELETE")


def test_415(api_client):
    response = api_client.post(reverse("users:login"), "x", content_type="text/plain", **AMHARIC)
    assert response.status_code == 415
    assert_amharic(response, "text/plain")


def test_429(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "1/min"},
    }
    api_client.post(reverse("users:login"), {"username": "x", "password": "y"})
    response = api_client.post(reverse("users:login"), {"username": "x", "password": "y"}, **AMHARIC)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert_amharic(response, response["Retry-After"])


def test_400_required_fields(api_client):
    response = register(api_client)
    assert response.status_code == 400
    assert set(response.json()) == {"username", "email", "password"}  # field names stay
    assert_amharic(response)


def test_400_a_choice(api_client):
    response = register(api_client, username="hana", email="hana@example.et", password="Str0ng-Passw0rd", language="fr")
    assert response.status_code == 400
    assert_amharic(response, "fr", "en, am")


def test_400_a_password_too_short(api_client):
    response = register(api_client, username="hana", email="hana@example.et", password="Hb7!x")
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert "ቢያንስ 8 ቁምፊዎች" in response.json()["password"][0]
    assert_amharic(response)


def test_400_a_password_like_the_username_names_the_field_in_amharic(api_client):
    response = register(api_client, username="tsehaymesfin", email="t@example.et", password="tsehaymesfin1")
    assert response.status_code == 400
    assert "የተጠቃሚ ስም" in " ".join(response.json()["password"])
    assert_amharic(response)


def test_400_field_limits_and_an_unknown_field(api_client):
    response = register(api_client, username="x" * 151, email="not-an-address", password="Str0ng-Passw0rd", age=3)
    assert response.status_code == 400
    assert set(response.json()) == {"username", "email", "age"}
    assert_amharic(response, "150")


def test_400_on_a_signed_in_users_own_language_without_a_header():
    client = client_for(UserFactory(language="am"))
    response = client.patch(reverse("users:me"), {"email": "not-an-address"}, format="json")
    assert response.status_code == 400
    assert_amharic(response)


def test_english_is_unchanged(api_client):
    assert register(APIClient()).status_code == 400  # an Amharic answer first, in this thread
    response = api_client.post(reverse("users:register"), {}, format="json")
    assert response.json()["username"] == ["This field is required."]
    assert response["Content-Language"] == "en"


def _vendor_msgids() -> set[str]:
    """Every message of Django's core and auth (their English catalogues), of DRF (which ships
    compiled catalogues only: all of them together) and of SimpleJWT (its French one)."""
    import django
    import rest_framework
    import rest_framework_simplejwt

    django_dir = Path(django.__file__).parent
    sources = [
        django_dir / "conf/locale/en/LC_MESSAGES/django.po",
        django_dir / "contrib/auth/locale/en/LC_MESSAGES/django.po",
        Path(rest_framework_simplejwt.__file__).parent / "locale/fr/LC_MESSAGES/django.po",
    ]
    msgids = {entry.msgid for po in sources for entry in po_read(po)}
    for mo in (Path(rest_framework.__file__).parent / "locale").glob("*/LC_MESSAGES/django.mo"):
        with mo.open("rb") as file:
            msgids |= {key[0] if isinstance(key, tuple) else key for key in gettext.GNUTranslations(file)._catalog}
    return msgids


def test_every_vendor_message_listed_is_one_its_package_has():
    listed = vendor_messages.DJANGO + vendor_messages.DRF + vendor_messages.SIMPLEJWT
    # a plural message is marked lazily: its singular is its catalogue key
    msgids = {message._kw["singular"] if hasattr(message, "_kw") else message for message in listed}
    assert msgids - _vendor_msgids() == set()
    project = {entry.msgid for entry in po_read(Path(settings.BASE_DIR) / "locale/am/LC_MESSAGES/django.po")}
    assert msgids <= project
