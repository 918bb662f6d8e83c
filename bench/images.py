"""Product images: the time from upload to renditions ready for a 12-megapixel JPEG, and the
peak memory (RSS) of a worker process making the renditions of a 40-megapixel one (goal:
under 300 MB). Prints one JSON object.

    python -m bench.images

Uses the configured database (DATABASE_URL, else the SQLite file) and storage (a bucket when
AWS_STORAGE_BUCKET_NAME is set, else a scratch MEDIA_ROOT); the product it makes is deleted
at the end, and its files with it. The worker is a process of its own that runs the rendition
task as `celery -A ecommerce worker` would, so its peak RSS is the whole worker's, Django
included.
"""

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecommerce.settings.local")
    import django

    django.setup()


def _photo(width: int, height: int) -> bytes:
    """A photo-like JPEG (smooth gradients and shapes, as a product shot), well under 10 MB."""
    from PIL import Image, ImageDraw

    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (gradient, gradient.rotate(180), Image.radial_gradient("L").resize((width, height))))
    draw = ImageDraw.Draw(image)
    for n in range(1, 12):
        box = (n * width // 30, n * height // 30, width - n * width // 40, height - n * height // 40)
        draw.ellipse(box, outline=(40 * n % 255, 90, 200), width=max(width // 300, 2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def _peak_rss_mb() -> float:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec(), so a child would report the
    # memory of the parent it was forked from.
    status = open("/proc/self/status").read()  # noqa: SIM115 - read once, closed on exit
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def _worker(image_id: int) -> None:
    """The worker side: make one image's renditions, as the task does, and report its peak RSS."""
    _setup()
    from products.tasks import product_image_renditions_make

    baseline = _peak_rss_mb()
    product_image_renditions_make.apply(kwargs={"image_id": image_id}, throw=True)
    print(json.dumps({"peak_rss_mb": round(_peak_rss_mb(), 1), "after_startup_mb": round(baseline, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return _worker(args.worker)
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-media-")
    os.environ.pop("CELERY_BROKER_URL", None)  # renditions inline here; the worker below is our own
    _setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from categories.models import Category
    from ecommerce.celery import app
    from products.models import ProductImage
    from products.services import product_create, product_delete, product_image_create

    category, _ = Category.objects.get_or_create(slug="bench-images", defaults={"name": "Bench images"})
    product = product_create(title="Bench images", price=Decimal("1.00"), category=category, stock=0)
    try:
        twelve = _photo(4000, 3000)
        started = time.perf_counter()
        image = product_image_create(product=product, file=SimpleUploadedFile("12mp.jpg", twelve))
        ready = time.perf_counter() - started
        image.refresh_from_db()
        assert image.thumbnail and image.medium and image.large, "renditions were not made"

        forty = _photo(8000, 5000)
        app.conf.task_always_eager = False  # stored, with its renditions left to the worker below
        try:
            image = product_image_create(product=product, file=SimpleUploadedFile("40mp.jpg", forty))
        finally:
            app.conf.task_always_eager = True
        worker_started = time.perf_counter()
        worker = subprocess.run(
            [sys.executable, "-m", "bench.images", "--worker", str(image.pk)],
            check=True,
            capture_output=True,
            text=True,
        )
        worker_seconds = time.perf_counter() - worker_started
        memory = json.loads(worker.stdout.strip().splitlines()[-1])
        image = ProductImage.objects.get(pk=image.pk)
        assert image.thumbnail and image.medium and image.large, "the worker made no renditions"
        print(
            json.dumps(
                {
                    "upload_12mp_bytes": len(twelve),
                    "upload_12mp_to_renditions_ready_s": round(ready, 3),
                    "upload_40mp_bytes": len(forty),
                    "worker_40mp_renditions_s": round(worker_seconds, 3),
                    "worker_40mp_peak_rss_mb": memory["peak_rss_mb"],
                    "worker_rss_after_startup_mb": memory["after_startup_mb"],
                    "goal_peak_rss_mb": 300,
                },
                indent=2,
            )
        )
    finally:
        product_delete(product=product)


if __name__ == "__main__":
    main()
