"""A user's `language`: chosen at registration (or the request's), changed in `me/`, and the
API's language for them whenever a request's Accept-Language names none."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import client_for
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

REGISTER = reverse("users:register")
ME = reverse("users:me")
PRODUCTS = reverse("products:list")


def register(client, **extra):
    body = {"username": "hana", "email": "hana@example.et", "password": "Str0ng-Passw0rd"}
    return client.post(REGISTER, body | extra.pop("body", {}), **extra)


class TestRegisterLanguage:
    def test_a_language_given_is_kept(self, api_client):
        response = register(api_client, body={"language": "am"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 201, response.json()
        assert response.json()["language"] == "am"
        assert User.objects.get(username="hana").language == "am"

    def test_without_one_the_request_language_is_kept(self, api_client):
        response = register(api_client, HTTP_ACCEPT_LANGUAGE="am-ET, en;q=0.5")
        assert response.status_code == 201, response.json()
        assert User.objects.get(username="hana").language == "am"

    def test_without_either_the_shop_language(self, api_client, settings):
        settings.LANGUAGE_CODE = "am"
        assert register(api_client).status_code == 201
        assert User.objects.get(username="hana").language == "am"

    def test_an_unknown_language_is_refused_naming_the_choices(self, api_client):
        response = register(api_client, body={"language": "fr"})
        assert response.status_code == 400
        assert response.json() == {"language": ['"fr" is not a valid choice. Choose one of: en, am.']}
        assert not User.objects.exists()


class TestMeLanguage:
    def test_is_shown_and_changed(self, user):
        client = client_for(user)
        assert client.get(ME).json()["language"] == "en"
        response = client.patch(ME, {"language": "am"})
        assert response.status_code == 200, response.json()
        assert response.json()["language"] == "am"
        user.refresh_from_db()
        assert user.language == "am"

    def test_an_unknown_language_is_refused(self, user):
        response = client_for(user).patch(ME, {"language": "amh"})
        assert response.status_code == 400
        assert list(response.json()) == ["language"]
        user.refresh_from_db()
        assert user.language == "en"


class TestTheUsersLanguageIsTheApisForThem:
    def test_without_a_header_the_user_is_answered_in_their_language(self):
        client = client_for(UserFactory(language="am"))
        assert client.get(ME)["Content-Language"] == "am"
        # a header naming neither language leaves it to the user's
        assert client.get(ME, HTTP_ACCEPT_LANGUAGE="fr-FR")["Content-Language"] == "am"

    def test_a_header_naming_a_language_wins_over_the_users(self):
        client = client_for(UserFactory(language="am"))
        assert client.get(ME, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
        assert client_for(UserFactory(language="en")).get(ME, HTTP_ACCEPT_LANGUAGE="am")["Content-Language"] == "am"

    def test_an_anonymous_request_speaks_the_shop_language(self, api_client):
        assert api_client.get(PRODUCTS)["Content-Language"] == "en"

    def test_the_catalog_cache_serves_a_signed_in_reader_their_language(self, api_client):
        ProductFactory()
        # given the English page cached for anonymous readers
        api_client.get(PRODUCTS)
        assert api_client.get(PRODUCTS)["X-Cache"] == "HIT"
        # when a customer whose language is Amharic reads it, no header sent
        amharic = client_for(UserFactory(language="am"))
        first = amharic.get(PRODUCTS)
        # then theirs is an Amharic page, built once and then served from the cache
        assert (first["X-Cache"], first["Content-Language"]) == ("MISS", "am")
        assert amharic.get(PRODUCTS)["X-Cache"] == "HIT"
        assert api_client.get(PRODUCTS, HTTP_ACCEPT_LANGUAGE="am")["X-Cache"] == "HIT"
