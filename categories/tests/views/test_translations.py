"""Categories in Amharic and English: written with their translations, read in the request's
language with the shop's as the fallback; staff read the translations too."""

import pytest
from django.urls import reverse

from categories.models import Category
from categories.tests.factories import CategoryFactory
from ecommerce.common.translations import NOT_A_LANGUAGE, SAME_AS_PLAIN

pytestmark = pytest.mark.django_db

LIST = reverse("categories:list")
AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}
COFFEE = {
    "name": "Coffee & Tea",
    "description": "Ethiopian coffee.",
    "translations": {"am": {"name": "ቡናና ሻይ", "description": "የኢትዮጵያ ቡና።"}},
}


def detail(pk):
    return reverse("categories:detail", args=[pk])


class TestWrite:
    def test_staff_create_with_translations(self, staff_client):
        response = staff_client.post(LIST, COFFEE, format="json")

        assert response.status_code == 201, response.json()
        assert response.json()["translations"] == COFFEE["translations"]
        assert Category.objects.get().translations == COFFEE["translations"]

    def test_a_patch_gives_one_field_of_one_language(self, staff_client):
        category = CategoryFactory(**COFFEE)

        response = staff_client.patch(detail(category.pk), {"translations": {"am": {"name": "ቡና"}}}, format="json")

        assert response.status_code == 200
        category.refresh_from_db()
        assert category.translations == {"am": {"name": "ቡና", "description": "የኢትዮጵያ ቡና።"}}

    @pytest.mark.parametrize(
        ("translations", "errors"),
        [
            ({"om": {"name": "Buna"}}, {"translations": [NOT_A_LANGUAGE.format(languages="en, am")]}),
            ({"en": {"name": "Coffee"}}, {"translations": [SAME_AS_PLAIN.format(field="name")]}),
        ],
    )
    def test_bad_translations_are_refused(self, staff_client, translations, errors):
        response = staff_client.post(LIST, {**COFFEE, "translations": translations}, format="json")

        assert response.status_code == 400
        assert response.json() == errors
        assert not Category.objects.exists()

    def test_the_errors_read_in_amharic(self, staff_client):
        unknown = staff_client.post(LIST, {**COFFEE, "translations": {"om": {}}}, format="json", **AMHARIC)
        differing = staff_client.post(
            LIST, {**COFFEE, "translations": {"en": {"name": "Coffee"}}}, format="json", **AMHARIC
        )

        assert unknown.json() == {"translations": ["የሱቁ ቋንቋ አይደለም፦ en, am ይጠቀሙ።"]}
        assert differing.json() == {"translations": ["የሱቁ ቋንቋ ዋናው መስክ ነው፦ «name»ን አንድ ጊዜ ይስጡ፣ ወይም በሁለቱም ያንኑ ይስጡ።"]}


class TestRead:
    def test_list_and_detail_in_the_reader_language(self, api_client):
        category = CategoryFactory(**COFFEE)
        books = CategoryFactory(name="Books", description="Reading", translations={"am": {"name": "መጻሕፍት"}})

        listed = api_client.get(LIST, **AMHARIC).json()["results"]
        one = api_client.get(detail(category.pk), **AMHARIC).json()

        assert [(c["name"], c["description"]) for c in listed] == [("መጻሕፍት", "Reading"), ("ቡናና ሻይ", "የኢትዮጵያ ቡና።")]
        assert (one["name"], one["description"]) == ("ቡናና ሻይ", "የኢትዮጵያ ቡና።")
        assert "translations" not in one
        english = api_client.get(detail(books.pk), HTTP_ACCEPT_LANGUAGE="en").json()
        assert english["name"] == "Books"

    def test_an_amharic_reader_never_gets_the_english_cached_list(self, api_client):
        CategoryFactory(**COFFEE)

        english = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["name"]
        amharic = api_client.get(LIST, **AMHARIC).json()["results"][0]["name"]

        assert (english, amharic) == ("Coffee & Tea", "ቡናና ሻይ")

    def test_staff_read_the_translations(self, staff_client):
        category = CategoryFactory(**COFFEE)

        assert staff_client.get(detail(category.pk)).json()["translations"] == COFFEE["translations"]
        assert staff_client.get(LIST).json()["results"][0]["translations"] == COFFEE["translations"]
