"""The admin edits translations side by side with the plain fields ("Title (Amharic)"), saved
through the same services as the API, and searches products the way the API does."""

import pytest
from django.urls import reverse

from categories.models import Category
from categories.tests.factories import CategoryFactory
from ecommerce.common.tests.admin_forms import form_data
from orders.models import DeliveryMethod
from orders.tests.factories import DeliveryMethodFactory
from products.models import Product, ProductOption, ProductOptionValue
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def save_as_shown(client, url: str, form_id: str, **changes):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page.content.decode(), form_id) | changes)


def test_a_product_translation_is_saved_from_its_field_beside_the_plain_one(owner_client, api_client):
    product = ProductFactory(title="Mesob basket", description="Hand-woven.", translations={"am": {"title": "መሶብ"}})
    url = reverse("admin:products_product_change", args=[product.pk])
    page = owner_client.get(url).content.decode()
    assert "Title (Amharic)" in page and "Description (Amharic)" in page
    assert 'value="መሶብ"' in page

    response = save_as_shown(owner_client, url, "product_form", description_am="በእጅ የተሠራ።")

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.translations == {"am": {"title": "መሶብ", "description": "በእጅ የተሠራ።"}}
    # saved through the service: the search copy knows the new text
    found = api_client.get(reverse("products:list"), {"search": "የተሠራ"}).json()["results"]
    assert [p["id"] for p in found] == [product.pk]


def test_a_product_made_in_the_admin_gets_its_translations(owner_client):
    category = CategoryFactory()
    url = reverse("admin:products_product_add")
    response = save_as_shown(
        owner_client,
        url,
        "product_form",
        title="Netela",
        slug="netela",
        title_am="ነጠላ",
        category=str(category.pk),
        base_price="950.00",
        initial_stock="3",
    )

    assert response.status_code == 302
    assert Product.objects.get(slug="netela").translations == {"am": {"title": "ነጠላ"}}


def test_the_admin_labels_read_in_amharic(owner_client):
    category = CategoryFactory()

    page = owner_client.get(
        reverse("admin:categories_category_change", args=[category.pk]), HTTP_ACCEPT_LANGUAGE="am"
    ).content.decode()

    assert "ስም (አማርኛ)" in page


def test_a_category_translation_is_saved_through_the_service(owner_client):
    category = CategoryFactory(name="Books")
    url = reverse("admin:categories_category_change", args=[category.pk])

    response = save_as_shown(owner_client, url, "category_form", name_am="መጻሕፍት")

    assert response.status_code == 302
    assert Category.objects.get(pk=category.pk).translations == {"am": {"name": "መጻሕፍት"}}


def test_a_delivery_method_translation_is_saved_through_the_service(owner_client):
    method = DeliveryMethodFactory(name="Regional courier")
    url = reverse("admin:orders_deliverymethod_change", args=[method.pk])

    response = save_as_shown(owner_client, url, "deliverymethod_form", name_am="የክልሎች መልእክተኛ")

    assert response.status_code == 302
    assert DeliveryMethod.objects.get(pk=method.pk).translations == {"am": {"name": "የክልሎች መልእክተኛ"}}


class TestOptionAdmin:
    def option(self):
        product = ProductFactory(stock=0, options=[{"name": "Colour", "values": ["Red", "Black"]}])
        return product, ProductOption.objects.get(product=product)

    def test_an_option_name_and_its_values_are_translated_in_order(self, owner_client, api_client):
        product, option = self.option()
        url = reverse("admin:products_productoption_change", args=[option.pk])

        response = save_as_shown(owner_client, url, "productoption_form", name_am="ቀለም", values_am="ቀይ\nጥቁር")

        assert response.status_code == 302
        assert ProductOption.objects.get(pk=option.pk).translations == {"am": {"name": "ቀለም"}}
        assert [v.translations for v in ProductOptionValue.objects.filter(option=option)] == [
            {"am": {"value": "ቀይ"}},
            {"am": {"value": "ጥቁር"}},
        ]
        body = api_client.get(reverse("products:detail", args=[product.pk]), HTTP_ACCEPT_LANGUAGE="am").json()
        assert body["options"] == [{"name": "ቀለም", "values": ["ቀይ", "ጥቁር"]}]
        # the page shows what was saved
        page = owner_client.get(url).content.decode()
        assert "ቀይ\nጥቁር" in page

    def test_a_wrong_count_of_values_is_refused_as_the_api_refuses_it(self, owner_client):
        _product, option = self.option()
        url = reverse("admin:products_productoption_change", args=[option.pk])

        response = save_as_shown(owner_client, url, "productoption_form", values_am="ቀይ")

        assert response.status_code == 302 and response.url == url
        messages = [str(m) for m in response.wsgi_request._messages]
        assert messages == ["Give one translation per value, in the order of `values`."]
        assert not ProductOptionValue.objects.exclude(translations={}).exists()


def test_the_admin_search_folds_as_the_api_search_does(owner_client):
    dress = ProductFactory(title="Habesha kemis", translations={"am": {"title": "ሀበሻ ቀሚስ"}})
    ProductFactory(title="Jebena")
    changelist = reverse("admin:products_product_changelist")

    for term in ("ሐበሻ", "ሃበሻ", "kemis", dress.slug):
        page = owner_client.get(changelist, {"q": term}).content.decode()
        assert "Habesha kemis" in page and "Jebena" not in page, term
