"""Product images: uploads decoded and re-encoded before anything is stored, WebP renditions
made afterwards by a task, files written and removed only when the database change commits.

Every web instance and worker reads and writes the same `default_storage` (the local
filesystem, or one S3 bucket when AWS_STORAGE_BUCKET_NAME is set), so a picture uploaded
through one instance is served by all.
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ecommerce.common.cache import catalog_changed
from ecommerce.common.enqueue import task_enqueue
from ecommerce.common.exceptions import ServiceUnavailable
from ecommerce.common.services import model_update
from products.exceptions import ImageInvalid, TooManyImages
from products.lock_objects import product_lock_many
from products.models import Product, ProductImage, RenditionStatus

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGES_PER_PRODUCT = 12
# The renditions' fields and the longest side of each, largest first (each is made from the last).
RENDITIONS = {"large": 1200, "medium": 600, "thumbnail": 200}
# What Pillow may even try to decode: its other plugins (PDF, EPS, ...) never see the bytes.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Pillow itself refuses a header claiming more than twice this before allocating any pixels;
# _decoded refuses anything above it.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

IMAGE_EMPTY = _("The file is empty.")
IMAGE_TOO_LARGE = _("The file is larger than 10 MB.")
IMAGE_NOT_A_PICTURE = _("The file is not a JPEG, PNG or WebP picture.")
IMAGE_TOO_MANY_PIXELS = _("The picture has more than 40 megapixels.")
IMAGE_DAMAGED = _("The picture is damaged or incomplete and cannot be read.")
IMAGE_NOT_STORED = _("The picture could not be stored; nothing was saved. Try again shortly.")
TOO_MANY_IMAGES = format_lazy(
    _("A product has at most {count} images: delete one first."), count=MAX_IMAGES_PER_PRODUCT
)


@dataclass(frozen=True)
class Picture:
    """An upload as it will be stored: oriented, re-encoded without metadata."""

    content: bytes
    extension: str
    width: int
    height: int


def _decoded(file) -> Image.Image:
    """The upload's pixels, once its size, type and pixel count allow decoding them."""
    if file.size == 0:
        raise ImageInvalid(IMAGE_EMPTY)
    if file.size > MAX_IMAGE_BYTES:
        raise ImageInvalid(IMAGE_TOO_LARGE)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Between one and two times the limit Pillow only warns; the check below refuses it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(EXTENSIONS))
    except Image.DecompressionBombError as exc:
        raise ImageInvalid(IMAGE_TOO_MANY_PIXELS) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageInvalid(IMAGE_NOT_A_PICTURE) from exc
    # Only the header has been read: the pixels are not allocated yet.
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise ImageInvalid(IMAGE_TOO_MANY_PIXELS)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise ImageInvalid(IMAGE_DAMAGED) from exc
    return image


def _without_metadata(image: Image.Image) -> Image.Image:
    # The encoders fall back to `info` for EXIF, ICC, XMP and comments: GPS positions and camera
    # serials would otherwise be written back. A palette's transparent index is pixels, not metadata.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    return image


def _encoded(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    _without_metadata(image).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def picture_from_upload(*, file) -> Picture:
    """The upload as a Picture, or ImageInvalid saying why not. The type comes from the bytes,
    never from the file name or the Content-Type."""
    image = _decoded(file)
    # A JPEG carrying a multi-picture index (many phone cameras add a preview or a depth map)
    # opens as MPO: it is a JPEG, and its first picture is the photo.
    image_format = "JPEG" if image.format == "MPO" else image.format
    ImageOps.exif_transpose(image, in_place=True)
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
    content = _encoded(image, image_format, **options)
    return Picture(content=content, extension=EXTENSIONS[image_format], width=image.width, height=image.height)


def _store(*, image_id: int, name: str, content: bytes) -> None:
    try:
        default_storage.save(name, ContentFile(content))
    except Exception as exc:
        # The row committed without its file: take it back rather than show a broken picture.
        ProductImage.objects.filter(pk=image_id).delete()
        raise ServiceUnavailable(IMAGE_NOT_STORED) from exc


def _renditions_after_commit(image_id: int) -> None:
    task_enqueue(
        "products.tasks.product_image_renditions_make",
        image_id=image_id,
        otherwise="its renditions stay missing and the original is shown",
    )


def product_image_create(*, product: Product, file, alt: str = "", position: int | None = None) -> ProductImage:
    """Add a picture to the product's gallery (at the end unless `position` says otherwise).

    The upload is decoded before the transaction starts; its file is written once the row has
    committed (a rolled-back upload leaves nothing behind), then the renditions are made."""
    picture = picture_from_upload(file=file)
    with transaction.atomic():
        # Two uploads at once cannot both take the last free place.
        product_lock_many(ids=[product.pk])
        images = ProductImage.objects.filter(product_id=product.pk)
        if images.count() >= MAX_IMAGES_PER_PRODUCT:
            raise TooManyImages(TOO_MANY_IMAGES)
        if position is None:
            last = images.aggregate(last=Max("position"))["last"]
            position = 0 if last is None else last + 1
        image = ProductImage(
            product=product,
            file=f"products/{product.pk}/{uuid.uuid4().hex}.{picture.extension}",
            width=picture.width,
            height=picture.height,
            alt=alt,
            position=position,
        )
        image.full_clean()
        image.save()
        transaction.on_commit(partial(_store, image_id=image.pk, name=image.file, content=picture.content))
        # A rendition that fails is retried by its task and never fails the upload.
        transaction.on_commit(partial(_renditions_after_commit, image.pk), robust=True)
    return image


@transaction.atomic
def product_image_update(*, image: ProductImage, data: dict) -> ProductImage:
    model_update(instance=image, fields=["alt", "position"], data=data)
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage) -> None:
    """Remove the picture; its files leave storage after commit (see products.signals)."""
    image.delete()


def product_image_files_delete(*, names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _save_over(name: str, content: bytes) -> str:
    # A retried task writes the same names again.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def renditions_from(source) -> dict[str, bytes]:
    """WebP renditions of a stored original, by field name. A JPEG is decoded straight at the
    smallest scale (1/2 to 1/8) that still covers the largest rendition, so a 40-megapixel
    picture takes a few megabytes of memory instead of over a hundred."""
    image = Image.open(source, formats=list(EXTENSIONS))
    image.draft("RGB", (max(RENDITIONS.values()),) * 2)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    current = image.convert("RGBA" if has_alpha else "RGB")
    made = {}
    for field, side in RENDITIONS.items():
        current.thumbnail((side, side), Image.Resampling.LANCZOS)  # never enlarges
        made[field] = _encoded(current, "WEBP", quality=80)
    return made


def product_image_renditions_make(*, image_id: int) -> ProductImage | None:
    """Make and store the image's renditions; None when the image was deleted meanwhile."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None:
        return None
    with default_storage.open(image.file, "rb") as source:
        made = renditions_from(source)
    stem = image.file.rsplit(".", 1)[0]
    names = {field: _save_over(f"{stem}-{RENDITIONS[field]}.webp", content) for field, content in made.items()}
    if not ProductImage.objects.filter(pk=image_id).update(**names, renditions=RenditionStatus.READY):
        product_image_files_delete(names=list(names.values()))
        return None
    catalog_changed()  # a queryset update sends no signal
    image.refresh_from_db()
    return image


def product_image_renditions_failed(*, image_id: int) -> None:
    """The renditions could not be made, retries included: say so; the original stays shown."""
    ProductImage.objects.filter(pk=image_id).update(renditions=RenditionStatus.FAILED)
    catalog_changed()  # a queryset update sends no signal
