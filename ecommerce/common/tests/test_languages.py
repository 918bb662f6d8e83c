"""The language of a request: Accept-Language, then the signed-in user's, then SHOP_LANGUAGE;
said in Content-Language on every answer, and never mixed up by the catalog cache."""

import pytest
from django.test import Client
from django.urls import reverse

from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory

LIST = reverse("products:list")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("am", "am"),
        ("en", "en"),
        ("am-ET,am;q=0.9", "am"),
        ("en-US,en;q=0.9", "en"),
        # quality values decide, not the order they are written in
        ("en;q=0.4, am;q=0.8", "am"),
        ("am;q=0.3, en-GB;q=0.7", "en"),
        # a language the shop does not speak is passed over for the next one named
        ("fr-FR, fr;q=0.9, am;q=0.5", "am"),
        # naming neither: the shop's language
        ("fr, de;q=0.5", "en"),
        ("*", "en"),
        ("", "en"),
    ],
)
def test_accept_language_picks_the_answer_language(api_client, header, language):
    response = api_client.get(reverse("categories:list"), HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_without_a_header_the_shop_language_is_spoken(api_client, settings):
    settings.LANGUAGE_CODE = "am"
    assert api_client.get(reverse("categories:list"))["Content-Language"] == "am"
    assert api_client.get(reverse("categories:list"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


@pytest.mark.parametrize(
    "path",
    ["/", "/health/", "/api/no-such-endpoint/", "/admin/login/", "/api/products/%00/"],
)
def test_every_answer_says_its_language(path):
    # pages, errors answered before any view, and the API alike
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="am")
    assert response["Content-Language"] == "am", (path, response.status_code)


class TestCatalogCachePerLanguage:
    def test_a_reader_never_gets_a_page_cached_for_another_language(self, api_client):
        ProductFactory.create_batch(2)

        # given an English reader's page in the cache
        assert api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")["X-Cache"] == "MISS"
        assert api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")["X-Cache"] == "HIT"
        # when an Amharic reader asks for the same page
        amharic = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="am")
        # then it is built for them, and cached for the next Amharic reader only
        assert (amharic["X-Cache"], amharic["Content-Language"]) == ("MISS", "am")
        again = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="am-ET")
        assert (again["X-Cache"], again["Content-Language"]) == ("HIT", "am")
        english = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en;q=0.9, am;q=0.1")
        assert (english["X-Cache"], english["Content-Language"]) == ("HIT", "en")

    def test_the_shop_language_is_a_language_of_its_own(self, api_client, settings):
        ProductFactory()
        assert api_client.get(LIST)["X-Cache"] == "MISS"  # English, the shop's language
        assert api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")["X-Cache"] == "HIT"
        settings.LANGUAGE_CODE = "am"
        response = api_client.get(LIST)
        assert (response["X-Cache"], response["Content-Language"]) == ("MISS", "am")


def test_the_back_office_speaks_the_staff_members_language():
    # given a staff member whose language is Amharic, signed in to the admin (a session)
    admin = Client()
    admin.force_login(StaffFactory(language="am"))
    # then the admin answers them in Amharic (Django's admin ships it), unless the browser asks
    # for English
    page = admin.get(reverse("admin:index"))
    assert (page.status_code, page["Content-Language"]) == (200, "am")
    assert '<html lang="am"' in page.content.decode()
    assert admin.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
