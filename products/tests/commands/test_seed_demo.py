from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from categories.models import Category
from orders.models import DeliveryMethod
from products.models import Product, ProductImage
from users.demo import AMHARIC_CUSTOMER, CUSTOMER, STAFF

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class TestSeedDemo:
    def test_loads_demo_data_and_the_readme_accounts(self):
        seed()
        staff = get_user_model().objects.get(username=STAFF["username"])
        assert staff.is_staff and staff.check_password(STAFF["password"])
        customer = get_user_model().objects.get(username=CUSTOMER["username"])
        assert not customer.is_staff and customer.check_password(CUSTOMER["password"])
        assert Category.objects.count() >= 5
        assert Product.objects.filter(is_active=True, stock__gt=0).count() >= 10

    def test_is_idempotent(self):
        seed()
        counts = (get_user_model().objects.count(), Category.objects.count(), Product.objects.count())
        seed()
        assert (get_user_model().objects.count(), Category.objects.count(), Product.objects.count()) == counts

    def test_the_demo_shop_speaks_amharic(self, api_client):
        seed()

        found = api_client.get(reverse("products:list"), {"search": "ቡና"}, HTTP_ACCEPT_LANGUAGE="am").json()
        titles = {product["title"] for product in found["results"]}
        assert {"የይርጋጨፌ ቡና 1 ኪሎ", "የሲዳሞ ቡና 500 ግራም"} <= titles
        dress = api_client.get(reverse("products:list"), {"search": "ሐበሻ"}, HTTP_ACCEPT_LANGUAGE="am").json()
        assert [(p["title"], p["options"][0]["name"]) for p in dress["results"]] == [("ሀበሻ ቀሚስ", "መጠን")]
        assert get_user_model().objects.get(username=AMHARIC_CUSTOMER["username"]).language == "am"
        assert all(method.translations["am"]["name"] for method in DeliveryMethod.objects.all())

    def test_a_demo_seeded_before_the_translations_gets_them(self):
        seed()
        Product.objects.update(translations={})
        DeliveryMethod.objects.update(translations={})

        seed()

        assert not Product.objects.filter(title="Oromay", translations={}).exists()
        assert not DeliveryMethod.objects.filter(translations={}).exists()

    def test_generates_and_tops_up_a_large_catalog(self):
        seed("--products", "2500")
        assert Product.objects.filter(slug__startswith="catalog-").count() == 2500
        seed("--products", "3000")
        generated = Product.objects.filter(slug__startswith="catalog-")
        assert generated.count() == 3000
        assert generated.filter(price__lt=0).count() == 0
        assert "already has 3000" in seed("--products", "3000")


def test_demo_products_have_drawn_pictures_with_renditions(media_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    assert not Product.objects.filter(is_active=True, images__isnull=True).exists()
    image = ProductImage.objects.order_by("pk").first()
    assert image.thumbnail and Image.open(media_dir.root / image.thumbnail).format == "WEBP"
    assert len(media_dir.names()) == ProductImage.objects.count() * 4
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    assert len(media_dir.names()) == ProductImage.objects.count() * 4  # none added twice
