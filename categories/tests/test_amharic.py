"""Categories in Amharic: the admin's link to a category's products."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from categories.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_a_category_links_to_its_products_in_amharic(staff):
    category = CategoryFactory(name="ቡና")
    client = Client()
    client.force_login(staff)

    with translation.override("am"):
        page = client.get(reverse("admin:categories_category_change", args=[category.pk]), HTTP_ACCEPT_LANGUAGE="am")

    assert f'?category__id__exact={category.pk}">በቡና ምድብ ያሉ ምርቶች</a>' in page.content.decode()
