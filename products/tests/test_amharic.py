"""The products app in Amharic: staff's stock errors and admin, the stock e-mail; the codes
and reasons a program reads stay as they are."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from products.services import stock_adjust
from products.tests.factories import ProductFactory, default_variant

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def stock_url(product, variant):
    return reverse("products:variant-stock", args=[product.pk, variant.pk])


def test_taking_away_more_than_the_stock_is_refused_in_amharic(staff_client):
    product = ProductFactory(stock=5)
    variant = default_variant(product)

    with translation.override("am"):
        response = staff_client.post(stock_url(product, variant), {"delta": -6, "reason": "count"}, **AMHARIC)

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == f"ከ{variant.sku} ያለው ክምችት 5 ብቻ ነው፤ 6 መቀነስ አይቻልም።"
    assert body["code"] == "insufficient_stock"


def test_a_reason_staff_may_not_give_is_refused_in_amharic_naming_the_reasons_as_they_are_sent():
    variant = default_variant(ProductFactory(stock=5))

    with pytest.raises(ValidationError) as refused:
        stock_adjust(variant_id=variant.pk, delta=1, reason="checkout")

    # the message is said in the language active where it is shown
    with translation.override("am"):
        shown = refused.value.message_dict
    assert shown == {"reason": ["ከእነዚህ አንዱን ይስጡ፦ restock, count, damaged, returned, other።"]}


def test_the_adjust_stock_page_and_its_reasons_read_in_amharic(staff):
    product = ProductFactory(stock=5)
    variant = default_variant(product)
    client = Client()
    client.force_login(staff)

    with translation.override("am"):
        page = client.get(reverse("admin:products_variant_adjust_stock", args=[variant.pk]), **AMHARIC)

    content = page.content.decode()
    assert "አሁን ያለው ክምችት፦ <strong>5</strong>።" in content
    assert '<option value="restock">ክምችት መሙላት</option>' in content
    assert 'value="ክምችት አስተካክል"' in content


def test_the_low_stock_e_mail_reads_in_amharic():
    variant = default_variant(ProductFactory(stock=2))
    variant.low_stock_threshold = 3

    with translation.override("am"):
        text = render_to_string("products/email/stock_low.txt", {"variants": [variant]}, using="email_text")

    assert "እነዚህ አሁን ዝቅተኛ ክምችት ገደባቸው ላይ ደርሰዋል፦" in text
    assert "2 ቀርቷል (ገደብ 3)" in text


def test_the_admin_names_the_shops_models_and_fields_in_amharic(staff):
    client = Client()
    client.force_login(staff)

    with translation.override("am"):
        index = client.get(reverse("admin:index"), **AMHARIC).content.decode()
        add_product = client.get(reverse("admin:products_product_add"), **AMHARIC).content.decode()

    for app, model in (("ምርቶች", "የክምችት እንቅስቃሴዎች"), ("ትዕዛዞች", "የማድረሻ ዘዴዎች"), ("ኩፖኖች", "ኩፖኖች"), ("ምድቦች", "ምድቦች")):
        assert app in index and model in index
    assert "መነሻ ዋጋ" in add_product and "ምድብ" in add_product  # the form's labels


def test_a_taken_sku_is_refused_in_amharic(staff_client):
    product = ProductFactory()
    taken = default_variant(product).sku

    with translation.override("am"):
        response = staff_client.post(
            reverse("products:variants", args=[product.pk]), {"sku": taken.lower()}, format="json", **AMHARIC
        )

    assert response.status_code == 400
    assert "ይህ SKU ያለው ዓይነት አስቀድሞ አለ።" in str(response.json()), response.json()
