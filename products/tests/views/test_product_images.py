"""Product images through the API, on the local filesystem and on a real S3-compatible server:
uploads decoded from their bytes, stored without metadata, renditions made after commit, files
gone after a delete, and every bad upload refused with nothing left in storage."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from cart.services import cart_item_add
from conftest import client_for
from products.models import ProductImage
from products.services import images as image_services
from products.services import product_delete, product_image_create
from products.tests.factories import ProductFactory, page_queries
from products.tests.pictures import (
    HTML,
    PDF,
    SVG,
    camera_exif,
    multi_picture_jpeg,
    picture,
    png_claiming,
    truncated_png,
)
from products.tests.views.test_products import LIST, detail

pytestmark = pytest.mark.django_db


def images_url(product) -> str:
    return reverse("products:images", args=[product.pk])


def image_url(image) -> str:
    return reverse("products:image-detail", args=[image.product_id, image.pk])


def upload(client, product, content: bytes, name: str = "photo.jpg", **fields):
    return client.post(images_url(product), {"file": SimpleUploadedFile(name, content), **fields}, format="multipart")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (file writes, renditions, deletions) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def product():
    return ProductFactory(title="Jebena", stock=3)


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


class TestUpload:
    def test_a_phone_photo_is_turned_upright_stripped_and_rendered(self, staff_client, product, media, committed):
        # 2000 x 1500 as the sensor saw it, to be shown turned a quarter (EXIF orientation 6)
        content = picture("JPEG", (2000, 1500), exif=camera_exif(orientation=6))
        with committed():
            response = upload(staff_client, product, content, alt="Clay jebena")
        assert response.status_code == 201, response.content
        body = response.json()
        image = ProductImage.objects.get()
        assert body["width"] == 1500 and body["height"] == 2000 and body["alt"] == "Clay jebena"
        assert body["position"] == 0 and body["thumbnail"] is None  # made after commit
        assert media.names() == {image.file, image.thumbnail, image.medium, image.large}
        original = opened(media.read(image.file))
        assert original.format == "JPEG" and original.size == (1500, 2000)
        assert not original.getexif() and "icc_profile" not in original.info
        for field, side in image_services.RENDITIONS.items():
            rendition = opened(media.read(getattr(image, field)))
            assert rendition.format == "WEBP" and max(rendition.size) == side
            assert rendition.size[1] > rendition.size[0]  # upright
            assert not rendition.getexif()
        shown = client_for(None).get(detail(product.pk)).json()["images"][0]
        assert shown["id"] == body["id"] and shown["thumbnail"].endswith(image.thumbnail)

    @pytest.mark.parametrize(("fmt", "name"), [("PNG", "a.png"), ("WEBP", "a.webp")])
    def test_png_and_webp_are_kept_in_their_format_never_enlarged(
        self, staff_client, product, media_dir, committed, fmt, name
    ):
        content = picture(fmt, (150, 100), mode="RGBA")
        with committed():
            response = upload(staff_client, product, content, name=name)
        assert response.status_code == 201, response.content
        image = ProductImage.objects.get()
        assert image.file.endswith("." + name.split(".")[1])
        for field in image_services.RENDITIONS:
            rendition = opened(media_dir.read(getattr(image, field)))
            assert rendition.size == (150, 100) and rendition.mode == "RGBA"

    def test_a_jpeg_with_a_multi_picture_index_is_a_jpeg(self, staff_client, product, media, committed):
        # Issue 22, defect 4: Pillow opens it as MPO; the shop keeps its first picture as a JPEG.
        content = multi_picture_jpeg((1600, 1200), exif=camera_exif(orientation=6))
        with committed():
            response = upload(staff_client, product, content, name="IMG_0001.JPG")
        assert response.status_code == 201, response.content
        assert (response.json()["width"], response.json()["height"]) == (1200, 1600)
        image = ProductImage.objects.get()
        original = opened(media.read(image.file))
        assert image.file.endswith(".jpg") and original.format == "JPEG" and original.size == (1200, 1600)
        assert not original.getexif() and "mp" not in original.info
        assert opened(media.read(image.large)).size == (900, 1200)

    def test_the_name_and_content_type_do_not_decide_the_type(self, staff_client, product, media_dir, committed):
        upload_file = SimpleUploadedFile("document.pdf", picture("PNG"), content_type="application/pdf")
        with committed():
            response = staff_client.post(images_url(product), {"file": upload_file}, format="multipart")
        assert response.status_code == 201
        assert ProductImage.objects.get().file.endswith(".png")

    def test_position_appends_and_patch_reorders(self, staff_client, api_client, product, media_dir, committed):
        with committed():
            first = upload(staff_client, product, picture()).json()
            second = upload(staff_client, product, picture(), alt="side").json()
        assert (first["position"], second["position"]) == (0, 1)
        assert api_client.get(detail(product.pk)).json()["image"]["id"] == first["id"]
        with committed():
            response = staff_client.patch(
                reverse("products:image-detail", args=[product.pk, second["id"]]), {"position": 0, "alt": "Side"}
            )
            staff_client.patch(reverse("products:image-detail", args=[product.pk, first["id"]]), {"position": 1})
        assert response.status_code == 200 and response.json()["alt"] == "Side"
        # the catalog cache shows the new order on the next read
        body = api_client.get(detail(product.pk)).json()
        assert [i["id"] for i in body["images"]] == [second["id"], first["id"]]
        listed = api_client.get(LIST).json()["results"][0]
        assert listed["image"]["id"] == second["id"] and "images" not in listed

    def test_an_image_of_another_product_is_404(self, staff_client, product, media_dir, committed):
        with committed():
            image_id = upload(staff_client, product, picture()).json()["id"]
        other = ProductFactory()
        url = reverse("products:image-detail", args=[other.pk, image_id])
        assert staff_client.patch(url, {"alt": "x"}).status_code == 404
        assert staff_client.delete(url).status_code == 404

    def test_local_media_is_served_under_media_url(self, staff_client, api_client, product, media_dir, committed):
        content = picture("PNG", (40, 30))
        with committed():
            body = upload(staff_client, product, content, name="a.png").json()
        # absolute, as the pagination links are: built from the request
        assert body["url"].startswith("http://testserver/media/products/")
        served = api_client.get(body["url"])
        assert served.status_code == 200
        assert opened(b"".join(served.streaming_content)).size == (40, 30)


ELEVEN_MB = b"\xff\xd8\xff\xe0" + b"\0" * (11 * 1024 * 1024)


class TestBadUploads:
    @pytest.mark.parametrize(
        ("content", "name", "message"),
        [
            (PDF, "invoice.jpg", image_services.IMAGE_NOT_A_PICTURE),
            (HTML, "page.jpg", image_services.IMAGE_NOT_A_PICTURE),
            (SVG, "logo.svg", image_services.IMAGE_NOT_A_PICTURE),
            (truncated_png(), "cut.png", image_services.IMAGE_DAMAGED),
            (png_claiming(50_000, 50_000), "bomb.png", image_services.IMAGE_TOO_MANY_PIXELS),
            (png_claiming(8000, 5001), "big.png", image_services.IMAGE_TOO_MANY_PIXELS),  # just past 40 MP
            (b"", "empty.jpg", image_services.IMAGE_EMPTY),
            (ELEVEN_MB, "huge.jpg", image_services.IMAGE_TOO_LARGE),
        ],
        ids=["pdf", "html", "svg", "truncated-png", "bomb-50000x50000", "just-over-40mp", "0-bytes", "11-mb"],
    )
    def test_refused_with_a_reason_and_nothing_stored(
        self, staff_client, product, media, committed, content, name, message
    ):
        before = media.names()
        with committed():
            response = upload(staff_client, product, content, name=name)
        assert response.status_code == 400, response.content
        assert response.json() == {"detail": message, "code": "image_invalid"}
        assert media.names() == before and not ProductImage.objects.exists()

    def test_a_form_without_file(self, staff_client, product, media, committed):
        with committed():
            response = staff_client.post(images_url(product), {"alt": "nothing"}, format="multipart")
        assert response.status_code == 400
        assert response.json() == {
            "detail": "Send the picture in the multipart form field `file`.",
            "code": "image_invalid",
        }
        assert media.names() == set()

    def test_json_is_not_an_upload(self, staff_client, product, media_dir):
        response = staff_client.post(images_url(product), {"file": "aGVsbG8="}, format="json")
        assert response.status_code == 415

    def test_the_thirteenth_image(self, staff_client, product, media, committed):
        with committed():
            for _ in range(image_services.MAX_IMAGES_PER_PRODUCT):
                assert upload(staff_client, product, picture("PNG", (20, 20)), name="a.png").status_code == 201
        before = media.names()
        assert len(before) == 12 * 4
        with committed():
            response = upload(staff_client, product, picture("PNG", (20, 20)), name="a.png")
        assert response.status_code == 400
        assert response.json() == {"detail": image_services.TOO_MANY_IMAGES, "code": "too_many_images"}
        assert media.names() == before and ProductImage.objects.count() == 12

    @pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("customer", 403)])
    def test_only_staff_upload(self, user, product, media, committed, who, status):
        client = client_for(None if who == "anonymous" else user)
        with committed():
            response = upload(client, product, picture())
        assert response.status_code == status
        assert media.names() == set() and not ProductImage.objects.exists()

    def test_a_rolled_back_upload_leaves_no_file(self, product, media, committed):
        with committed(), pytest.raises(RuntimeError), transaction.atomic():
            product_image_create(product=product, file=SimpleUploadedFile("a.jpg", picture()))
            raise RuntimeError("something later in the same transaction failed")
        assert media.names() == set() and not ProductImage.objects.exists()


class TestDelete:
    def test_deleting_an_image_removes_its_files_after_commit(self, staff_client, product, media, committed):
        with committed():
            upload(staff_client, product, picture())
            kept = upload(staff_client, product, picture()).json()
        image = ProductImage.objects.exclude(pk=kept["id"]).get()
        with committed() as callbacks:
            response = staff_client.delete(image_url(image))
        assert response.status_code == 204 and callbacks
        assert not set(image.stored_names) & media.names()
        assert len(media.names()) == 4  # the other image's

    def test_files_stay_until_the_deletion_commits(self, product, media, committed):
        with committed():
            image = product_image_create(product=product, file=SimpleUploadedFile("a.jpg", picture()))
        with pytest.raises(RuntimeError), transaction.atomic():
            ProductImage.objects.get(pk=image.pk).delete()
            raise RuntimeError("rolled back")
        assert len(media.names()) == 4

    def test_deleting_a_product_removes_its_images_files(self, product, media, committed):
        with committed():
            for _ in range(2):
                product_image_create(product=product, file=SimpleUploadedFile("a.jpg", picture()))
        assert len(media.names()) == 8
        with committed():
            product_delete(product=product)
        assert media.names() == set()


class TestRenditions:
    def test_an_upload_says_its_renditions_are_coming(self, staff_client, api_client, product, media, committed):
        with committed():
            response = upload(staff_client, product, picture("PNG", (300, 200)), name="a.png")
        body = response.json()
        assert response.status_code == 201 and body["renditions"] == "pending"
        assert (body["thumbnail"], body["medium"], body["large"]) == (None, None, None)
        shown = api_client.get(detail(product.pk)).json()["images"][0]
        assert shown["renditions"] == "ready"
        image = ProductImage.objects.get()
        assert image.renditions == "ready" and shown["large"].endswith(image.large)

    def test_renditions_that_keep_failing_are_marked_failed(self, product, media_dir, committed, api_client):
        from products.tasks import product_image_renditions_make

        content = picture("JPEG", (900, 700))
        with committed():
            image = product_image_create(product=product, file=SimpleUploadedFile("a.jpg", content))
        ProductImage.objects.filter(pk=image.pk).update(thumbnail="", medium="", large="", renditions="pending")
        (media_dir.root / image.file).write_bytes(b"not a picture any more")  # and it stays so
        # as a worker runs the last of its tries, the others having failed
        last = product_image_renditions_make.max_retries
        with committed():
            result = product_image_renditions_make.apply(kwargs={"image_id": image.pk}, retries=last, throw=False)
        assert result.failed()
        image.refresh_from_db()
        assert (image.renditions, image.thumbnail) == ("failed", "")
        shown = api_client.get(detail(product.pk)).json()["images"][0]
        assert (shown["renditions"], shown["thumbnail"]) == ("failed", None)
        assert shown["url"].endswith(image.file)  # the original is still shown

    def test_a_failed_rendition_is_retried_and_the_original_stays_usable(self, product, media_dir, committed):
        from celery.signals import task_retry

        content = picture("JPEG", (900, 700))
        with committed():
            image = product_image_create(product=product, file=SimpleUploadedFile("a.jpg", content))
        image.refresh_from_db()
        # The stored original goes bad: the task fails, and is retried...
        good = media_dir.read(image.file)
        (media_dir.root / image.file).write_bytes(b"not a picture any more")
        retries = []

        def storage_recovers(**kwargs):
            retries.append(kwargs["reason"])
            (media_dir.root / image.file).write_bytes(good)

        task_retry.connect(storage_recovers, weak=False)
        try:
            from products.tasks import product_image_renditions_make

            # as a worker runs it: Celery's own retry machinery, without the countdown
            result = product_image_renditions_make.apply(kwargs={"image_id": image.pk}, throw=False)
        finally:
            task_retry.disconnect(storage_recovers)
        image.refresh_from_db()
        assert len(retries) == 1 and result.successful()
        assert image.thumbnail and opened(media_dir.read(image.large)).size == (900, 700)
        assert image.renditions == "ready"

    def test_renditions_of_a_deleted_image_are_not_kept(self, product, media_dir):
        image = ProductImage.objects.create(product=product, file="products/x.jpg", width=1, height=1)
        image.delete()
        assert image_services.product_image_renditions_make(image_id=image.pk) is None
        assert media_dir.names() == set()

    def test_renditions_ready_refresh_the_cached_catalog(self, product, api_client, media_dir, committed, settings):
        settings.CATALOG_CACHE_SECONDS = 60
        settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker makes them later; not here
        from ecommerce.celery import app

        app.conf.task_always_eager = False
        try:
            with committed():
                image = product_image_create(product=product, file=SimpleUploadedFile("a.png", picture("PNG")))
        finally:
            app.conf.task_always_eager = True
        first = api_client.get(detail(product.pk))
        assert (first.json()["image"]["thumbnail"], first.json()["image"]["renditions"]) == (None, "pending")
        with committed():
            image_services.product_image_renditions_make(image_id=image.pk)
        again = api_client.get(detail(product.pk))
        assert again.json()["image"]["thumbnail"].endswith("-200.webp")
        assert again.json()["image"]["renditions"] == "ready"


class TestImagesInListings:
    def test_list_query_count_stays_constant_with_images(
        self, api_client, media_dir, committed, django_assert_num_queries
    ):
        for n in range(3):
            product = ProductFactory()
            with committed():
                for _ in range(n + 1):
                    product_image_create(product=product, file=SimpleUploadedFile("a.png", picture("PNG", (20, 20))))
        with django_assert_num_queries(1 + page_queries()):  # the count and the page
            results = api_client.get(LIST, {"page_size": 50}).json()["results"]
        assert all(item["image"]["url"] for item in results)

    def test_the_cart_shows_the_product_image(self, user, auth_client, product, media_dir, committed):
        with committed():
            image = product_image_create(product=product, file=SimpleUploadedFile("a.png", picture("PNG")))
        cart_item_add(user=user, product_id=product.pk, quantity=1)
        line = auth_client.get(reverse("cart:detail")).json()["items"][0]
        image.refresh_from_db()
        assert line["product"]["image"]["id"] == image.pk
        assert line["product"]["image"]["thumbnail"] == f"http://testserver/media/{image.thumbnail}"


class TestAbsoluteUrls:
    """Image addresses are absolute, built from the request as the pagination links are, in
    every answer that shows one; on a bucket they are the bucket's own."""

    @pytest.fixture
    def pictured(self, product, media_dir, committed):
        with committed():
            image = product_image_create(product=product, file=SimpleUploadedFile("a.png", picture("PNG")))
        image.refresh_from_db()
        return image

    def urls(self, shown: dict) -> list[str]:
        return [shown[field] for field in ("url", "thumbnail", "medium", "large")]

    def test_listing_detail_and_staff_answers(self, staff_client, api_client, product, pictured):
        expected = [f"http://testserver/media/{name}" for name in pictured.stored_names]
        listed = api_client.get(LIST).json()
        assert self.urls(listed["results"][0]["image"]) == expected
        shown = api_client.get(detail(product.pk)).json()
        assert self.urls(shown["image"]) == expected and self.urls(shown["images"][0]) == expected
        assert self.urls(staff_client.get(detail(product.pk)).json()["images"][0]) == expected
        assert self.urls(staff_client.patch(image_url(pictured), {"alt": "Front"}).json()) == expected
        assert self.urls(staff_client.patch(detail(product.pk), {"title": "Jebena"}).json()["image"]) == expected

    def test_the_scheme_and_host_are_the_requests(self, api_client, product, pictured):
        shown = api_client.get(detail(product.pk), secure=True, HTTP_HOST="localhost:8443").json()
        assert shown["image"]["url"] == f"https://localhost:8443/media/{pictured.file}"

    def test_a_bucket_gives_its_own_addresses(self, staff_client, product, media_bucket, committed):
        with committed():
            body = upload(staff_client, product, picture("PNG"), name="a.png").json()
        assert body["url"].startswith(f"{media_bucket.endpoint}/{media_bucket.name}/products/")
