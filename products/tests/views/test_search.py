"""`search=` on the folded copy of the title and description: the spellings Amharic writers
mix find each other, whichever way the product and the query are written, while the stored
text stays as written."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecommerce.common.tests.admin_forms import form_data
from products.models import Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

LIST = reverse("products:list")


def found(client, query: str) -> list[str]:
    response = client.get(LIST, {"search": query})
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["results"])


@pytest.fixture
def amharic_catalog():
    return {
        "kemis": ProductFactory(title="ሀበሻ ቀሚስ", description="በእጅ የተሰራ የጥጥ ቀሚስ።"),
        "sun": ProductFactory(title="ጸሀይ መከላከያ", description="ለቆዳ"),
        "coffee": ProductFactory(title="Yirgacheffe coffee", description="ቡና፡ከይርጋጨፌ"),
        "world": ProductFactory(title="ዓለም ካርታ", description="Map of the World"),
    }


class TestAmharicSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("ሐበሻ", ["ሀበሻ ቀሚስ"]),
            ("ኀበሻ", ["ሀበሻ ቀሚስ"]),
            ("ሀበሻ", ["ሀበሻ ቀሚስ"]),
            ("ፀሐይ", ["ጸሀይ መከላከያ"]),
            ("ጸሓይ", ["ጸሀይ መከላከያ"]),
            ("አለም", ["ዓለም ካርታ"]),
            ("ኣለም", ["ዓለም ካርታ"]),
            ("የጥጥ ቀሚስ", ["ሀበሻ ቀሚስ"]),  # the description
        ],
    )
    def test_sound_alike_letters_find_each_other(self, api_client, amharic_catalog, query, expected):
        assert found(api_client, query) == expected

    def test_ethiopic_punctuation_matches_a_space(self, api_client, amharic_catalog):
        assert found(api_client, "ቡና ከይርጋጨፌ") == ["Yirgacheffe coffee"]
        assert found(api_client, "ቀሚስ።") == ["ሀበሻ ቀሚስ"]
        assert found(api_client, "ሀበሻ፡ቀሚስ") == ["ሀበሻ ቀሚስ"]

    def test_english_still_case_insensitive(self, api_client, amharic_catalog):
        assert found(api_client, "YIRGACHEFFE") == ["Yirgacheffe coffee"]
        assert found(api_client, "map of the world") == ["ዓለም ካርታ"]

    def test_stored_text_is_shown_as_written(self, api_client, amharic_catalog):
        response = api_client.get(LIST, {"search": "ሐበሻ"})
        assert response.json()["results"][0]["description"] == "በእጅ የተሰራ የጥጥ ቀሚስ።"
        kemis = Product.objects.get(pk=amharic_catalog["kemis"].pk)
        assert (kemis.title, kemis.description) == ("ሀበሻ ቀሚስ", "በእጅ የተሰራ የጥጥ ቀሚስ።")

    def test_a_query_never_spans_the_title_and_the_description(self, api_client):
        ProductFactory(title="Clay coffee", description="Pot for the ceremony")
        assert found(api_client, "coffee pot") == []
        assert found(api_client, "coffee") == ["Clay coffee"]

    def test_a_query_of_punctuation_alone_filters_nothing(self, api_client, amharic_catalog):
        assert len(found(api_client, "።")) == len(amharic_catalog)


class TestFoldedCopyKeptByEveryWriter:
    def test_staff_api_edit(self, staff_client, api_client):
        product = ProductFactory(title="Netela", description="Cotton")
        response = staff_client.patch(reverse("products:detail", args=[product.pk]), {"title": "ሐበሻ ነጠላ"})
        assert response.status_code == 200, response.content
        assert found(api_client, "ሀበሻ") == ["ሐበሻ ነጠላ"]
        assert found(api_client, "netela") == []
        staff_client.patch(reverse("products:detail", args=[product.pk]), {"description": "የጥጥ"})
        assert found(api_client, "ጥጥ") == ["ሐበሻ ነጠላ"]

    def test_admin_save(self, admin_client, api_client):
        product = ProductFactory(title="Mesob", description="Basket")
        url = reverse("admin:products_product_change", args=[product.pk])
        shown = form_data(admin_client.get(url).content.decode(), "product_form")
        assert admin_client.post(url, shown | {"title": "መሶብ", "description": "ከሐረር"}).status_code == 302
        assert found(api_client, "ከሀረር") == ["መሶብ"]
        assert found(api_client, "basket") == []

    def test_generated_catalog(self, api_client):
        call_command("seed_demo", "--products", "30", stdout=StringIO(), stderr=StringIO())
        generated = Product.objects.filter(slug__startswith="catalog-")
        assert generated.count() == 30
        assert not generated.filter(search_text="").exists()
        assert found(api_client, "GENERATED ITEM NUMBER 17 ") == [generated.get(slug="catalog-000017").title]
