"""The admin's image inline is one more client of the image service: the same checks and
limits as the API, files written on commit, alt text and position edited in place."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ecommerce.common.tests.admin_forms import form_data
from products.models import ProductImage
from products.services import images as image_services
from products.tests.factories import ProductFactory
from products.tests.pictures import PDF, picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(staff):
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    return client


def save(admin, product, **fields):
    url = reverse("admin:products_product_change", args=[product.pk])
    shown = form_data(admin.get(url).content.decode(), "product_form")
    return admin.post(url, shown | fields, follow=True)


def test_staff_upload_reorder_and_label_pictures_in_the_admin(admin, media_dir, django_capture_on_commit_callbacks):
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        save(
            admin, product, **{"images-0-upload": SimpleUploadedFile("a.png", picture("PNG")), "images-0-alt": "Front"}
        )
    image = ProductImage.objects.get()
    assert image.alt == "Front" and image.thumbnail
    assert len(media_dir.names()) == 4
    page = admin.get(reverse("admin:products_product_change", args=[product.pk])).content.decode()
    assert image.thumbnail in page  # the preview
    with django_capture_on_commit_callbacks(execute=True):
        save(admin, product, **{"images-0-alt": "Front view", "images-0-position": "3"})
    image.refresh_from_db()
    assert (image.alt, image.position) == ("Front view", 3)


def test_the_admin_refuses_what_the_api_refuses(admin, media_dir, django_capture_on_commit_callbacks):
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = save(admin, product, **{"images-0-upload": SimpleUploadedFile("a.jpg", PDF)})
    assert str(image_services.IMAGE_NOT_A_PICTURE) in response.content.decode()
    assert not ProductImage.objects.exists() and media_dir.names() == set()
