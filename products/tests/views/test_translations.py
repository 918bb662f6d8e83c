"""Products in Amharic and English: written with their translations by staff, read in the
request's language with the shop's as the fallback, searched and filtered in either."""

import pytest
from django.urls import reverse

from categories.models import Category
from categories.tests.factories import CategoryFactory
from ecommerce.common.translations import NOT_A_LANGUAGE, ONE_PER_VALUE, SAME_AS_PLAIN
from products.models import Product, ProductOption, ProductOptionValue
from products.services import product_update, variant_create
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

LIST = reverse("products:list")
AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
DRESS = {
    "title": "Habesha kemis",
    "description": "Hand-woven cotton dress.",
    "price": "6500.00",
    "translations": {"am": {"title": "ሀበሻ ቀሚስ", "description": "በእጅ የተሸመነ የጥጥ ቀሚስ።"}},
    "options": [
        {"name": "Size", "values": ["S", "M"], "translations": {"am": {"name": "መጠን", "values": ["ትንሽ", "መካከለኛ"]}}}
    ],
}


def detail(pk):
    return reverse("products:detail", args=[pk])


def dress(staff_client, **changes) -> dict:
    category = Category.objects.filter(name="Fashion").first() or CategoryFactory(
        name="Fashion", translations={"am": {"name": "ፋሽን"}}
    )
    response = staff_client.post(LIST, {**DRESS, "category_id": category.pk, **changes}, format="json")
    assert response.status_code == 201, response.json()
    product = Product.objects.get(pk=response.json()["id"])
    for size in ("S", "M"):
        variant_create(product=product, sku=f"KEMIS-{product.pk}-{size}", options={"Size": size}, stock=3)
    return response.json()


class TestWrite:
    def test_staff_write_the_translations_with_the_product(self, staff_client):
        body = dress(staff_client)

        product = Product.objects.get(pk=body["id"])
        assert product.title == "Habesha kemis"
        assert product.translations == DRESS["translations"]
        assert body["translations"] == DRESS["translations"]
        assert ProductOption.objects.get(product=product).translations == {"am": {"name": "መጠን"}}
        assert [v.translations for v in ProductOptionValue.objects.filter(option__product=product)] == [
            {"am": {"value": "ትንሽ"}},
            {"am": {"value": "መካከለኛ"}},
        ]
        assert body["options"] == [
            {"name": "Size", "values": ["S", "M"], "translations": DRESS["options"][0]["translations"]}
        ]

    def test_a_patch_changes_the_translations_it_gives_and_keeps_the_others(self, staff_client):
        product = dress(staff_client)

        response = staff_client.patch(
            detail(product["id"]), {"translations": {"am": {"title": "የሀበሻ ቀሚስ"}}}, format="json"
        )

        assert response.status_code == 200, response.json()
        assert response.json()["translations"] == {"am": {"title": "የሀበሻ ቀሚስ", "description": "በእጅ የተሸመነ የጥጥ ቀሚስ።"}}
        # an empty text removes that translation
        staff_client.patch(detail(product["id"]), {"translations": {"am": {"description": ""}}}, format="json")
        assert Product.objects.get(pk=product["id"]).translations == {"am": {"title": "የሀበሻ ቀሚስ"}}

    def test_the_shop_language_given_the_same_as_the_plain_field_is_taken(self, staff_client):
        body = dress(staff_client, translations={"en": {"title": "Habesha kemis"}, "am": {"title": "ሀበሻ ቀሚስ"}})

        assert Product.objects.get(pk=body["id"]).translations == {"am": {"title": "ሀበሻ ቀሚስ"}}

    @pytest.mark.parametrize(
        ("changes", "errors"),
        [
            (
                {"translations": {"fr": {"title": "Robe"}}},
                {"translations": [NOT_A_LANGUAGE.format(languages="en, am")]},
            ),
            (
                {"translations": {"en": {"title": "Kemis"}}},
                {"translations": [SAME_AS_PLAIN.format(field="title")]},
            ),
            (
                {"options": [{"name": "Size", "values": ["S", "M"], "translations": {"am": {"values": ["ትንሽ"]}}}]},
                {"options": {"0": {"translations": [ONE_PER_VALUE]}}},
            ),
            (
                {"options": [{"name": "Size", "values": ["S"], "translations": {"en": {"name": "Waist"}}}]},
                {"options": {"0": {"translations": [SAME_AS_PLAIN.format(field="name")]}}},
            ),
            (
                {"options": [{"name": "Size", "values": ["S"], "translations": {"xx": {"name": "Waist"}}}]},
                {"options": {"0": {"translations": [NOT_A_LANGUAGE.format(languages="en, am")]}}},
            ),
            ({"translations": {"am": {"slug": "ቀሚስ"}}}, {"translations": {"am": {"slug": ["Unknown field."]}}}),
        ],
    )
    def test_bad_translations_are_refused_and_nothing_is_written(self, staff_client, changes, errors):
        category = CategoryFactory()

        response = staff_client.post(LIST, {**DRESS, "category_id": category.pk, **changes}, format="json")

        assert response.status_code == 400
        assert response.json() == errors
        assert not Product.objects.exists() and not ProductOption.objects.exists()

    def test_a_wrong_count_of_value_translations_is_refused_in_amharic_too(self, staff_client):
        option = {"name": "Size", "values": ["S", "M"], "translations": {"am": {"values": ["ትንሽ"]}}}
        body = {**DRESS, "category_id": CategoryFactory().pk, "options": [option]}

        response = staff_client.post(LIST, body, format="json", **AMHARIC)

        assert response.status_code == 400
        assert response.json() == {
            "options": {"0": {"translations": ["ለእያንዳንዱ እሴት አንድ ትርጉም ይስጡ፣ በ`values` ቅደም ተከተል።"]}}
        }

    def test_a_patch_that_contradicts_the_stored_title_in_the_shop_language_is_refused(self, staff_client):
        product = dress(staff_client)

        response = staff_client.patch(
            detail(product["id"]), {"translations": {"en": {"title": "Kemis"}}}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {"translations": [SAME_AS_PLAIN.format(field="title")]}
        assert Product.objects.get(pk=product["id"]).translations == DRESS["translations"]


class TestRead:
    def test_amharic_reader_gets_every_field_in_amharic(self, staff_client, api_client):
        product = dress(staff_client)

        body = api_client.get(detail(product["id"]), **AMHARIC).json()

        assert (body["title"], body["description"]) == ("ሀበሻ ቀሚስ", "በእጅ የተሸመነ የጥጥ ቀሚስ።")
        assert body["category"]["name"] == "ፋሽን"
        assert body["options"] == [{"name": "መጠን", "values": ["ትንሽ", "መካከለኛ"]}]
        assert [variant["options"] for variant in body["variants"]] == [{"መጠን": "ትንሽ"}, {"መጠን": "መካከለኛ"}]
        assert "translations" not in body

    def test_english_reader_gets_the_plain_fields(self, staff_client, api_client):
        product = dress(staff_client)

        body = api_client.get(LIST, **ENGLISH).json()["results"][0]

        assert (body["title"], body["category"]["name"]) == ("Habesha kemis", "Fashion")
        assert body["options"] == [{"name": "Size", "values": ["S", "M"]}]
        assert [variant["options"] for variant in body["variants"]] == [{"Size": "S"}, {"Size": "M"}]
        assert body["id"] == product["id"] and "translations" not in body

    def test_what_has_no_translation_falls_back_to_the_shop_language(self, api_client):
        product = ProductFactory(
            title="Jebena",
            description="Clay coffee pot.",
            translations={"am": {"title": "ጀበና"}},
            stock=0,
            options=[{"name": "Colour", "values": ["Black", "Red"], "translations": {"am": {"values": ["ጥቁር", ""]}}}],
        )
        variant_create(product=product, sku="JEB-RED", options={"Colour": "Red"}, stock=1)

        body = api_client.get(LIST, **AMHARIC).json()["results"][0]

        assert (body["title"], body["description"]) == ("ጀበና", "Clay coffee pot.")
        assert body["options"] == [{"name": "Colour", "values": ["ጥቁር", "Red"]}]
        assert body["variants"][0]["options"] == {"Colour": "Red"}
        assert body["category"]["name"] == product.category.name

    def test_staff_reads_include_the_translations(self, staff_client, api_client):
        product = dress(staff_client)

        listed = staff_client.get(LIST, **AMHARIC).json()["results"][0]
        one = staff_client.get(detail(product["id"])).json()

        assert listed["title"] == "ሀበሻ ቀሚስ" and listed["translations"] == DRESS["translations"]
        assert listed["options"][0]["translations"] == DRESS["options"][0]["translations"]
        assert one["translations"] == DRESS["translations"]
        assert "translations" not in api_client.get(detail(product["id"])).json()

    def test_each_language_has_its_own_cached_page(self, staff_client, api_client):
        dress(staff_client)
        # given an English page in the cache
        assert api_client.get(LIST, **ENGLISH).json()["results"][0]["title"] == "Habesha kemis"

        # when an Amharic reader asks for the same page, then they get it in Amharic, and the reverse
        assert api_client.get(LIST, **AMHARIC).json()["results"][0]["title"] == "ሀበሻ ቀሚስ"
        assert api_client.get(LIST, **ENGLISH).json()["results"][0]["title"] == "Habesha kemis"
        assert api_client.get(LIST, **AMHARIC)["Content-Language"] == "am"

    def test_a_translation_written_later_is_read_at_once(
        self, staff_client, api_client, django_capture_on_commit_callbacks
    ):
        product = dress(staff_client)
        assert api_client.get(LIST, **AMHARIC).json()["results"][0]["title"] == "ሀበሻ ቀሚስ"

        with django_capture_on_commit_callbacks(execute=True):
            product_update(
                product=Product.objects.get(pk=product["id"]), data={"translations": {"am": {"title": "ቀሚስ"}}}
            )

        assert api_client.get(LIST, **AMHARIC).json()["results"][0]["title"] == "ቀሚስ"

    def test_the_list_reads_translations_in_a_fixed_number_of_queries(
        self, staff_client, api_client, django_assert_max_num_queries
    ):
        for _ in range(3):
            dress(staff_client, translations={"am": {"title": "ቀሚስ"}})
        with django_assert_max_num_queries(4):
            assert len(api_client.get(LIST, **AMHARIC).json()["results"]) == 3


class TestSearchAndFilter:
    @pytest.mark.parametrize("words", ["ቀሚስ", "ሐበሻ", "የጥጥ", "kemis", "cotton"])
    def test_search_finds_a_product_by_its_text_in_either_language(self, staff_client, api_client, words):
        product = dress(staff_client)
        ProductFactory(title="Jebena", description="Clay pot.")

        found = api_client.get(LIST, {"search": words}, **ENGLISH).json()["results"]

        assert [body["id"] for body in found] == [product["id"]]

    def test_search_follows_a_translation_changed_later(self, staff_client, api_client):
        product = dress(staff_client)

        product_update(product=Product.objects.get(pk=product["id"]), data={"translations": {"am": {"title": "ልብስ"}}})

        assert [p["id"] for p in api_client.get(LIST, {"search": "ልብስ"}).json()["results"]] == [product["id"]]
        assert api_client.get(LIST, {"search": "ሀበሻ"}).json()["results"] == []

    @pytest.mark.parametrize("option", ["Size:M", "መጠን:መካከለኛ", "size:መካከለኛ", "መጠን:m"])
    def test_the_option_filter_takes_either_language(self, staff_client, api_client, option):
        product = dress(staff_client)
        ProductFactory(stock=0, options=[{"name": "Size", "values": ["L"]}])

        found = api_client.get(LIST, {"option": option}, **AMHARIC).json()["results"]

        assert [body["id"] for body in found] == [product["id"]]

    def test_the_option_filter_needs_name_and_value_of_one_option(self, staff_client, api_client):
        dress(staff_client)

        assert api_client.get(LIST, {"option": "መጠን:ትልቅ"}).json()["results"] == []
        assert api_client.get(LIST, {"option": "ቀለም:ትንሽ"}).json()["results"] == []
