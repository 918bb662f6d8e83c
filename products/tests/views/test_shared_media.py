"""Two web instances, each its own gunicorn process, on one database and one S3 bucket (a real
S3-compatible server): a picture uploaded through one is served, with its renditions, by the
other. Nothing of the upload lives on either instance's disk."""

import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken

from ecommerce.common.tests.processes import free_port, shared_database_url
from products.tests.conftest import S3_KEYS, Bucket
from products.tests.factories import ProductFactory
from products.tests.pictures import camera_exif, picture


def _start(env: dict, media_root: Path) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="web-", suffix=".log")[1])
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ecommerce.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=settings.BASE_DIR,
            env={**env, "MEDIA_ROOT": str(media_root)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, f"http://127.0.0.1:{port}", log


def _wait(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{url}/health/", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still importing under load
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the web instance did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


@pytest.fixture
def two_instances(postgres, transactional_db, s3_server, tmp_path):
    bucket = Bucket(s3_server, f"shop-shared-{uuid.uuid4().hex[:10]}")
    bucket.allow_public_reads()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")},
        "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local",
        "SECRET_KEY": settings.SECRET_KEY,  # the tokens the test signs
        "DATABASE_URL": shared_database_url(),
        "AWS_STORAGE_BUCKET_NAME": bucket.name,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_ACCESS_KEY_ID": S3_KEYS["access_key"],
        "AWS_SECRET_ACCESS_KEY": S3_KEYS["secret_key"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "THROTTLE_USER": "100000/min",
        "THROTTLE_ANON": "100000/min",
    }
    started = [_start(env, tmp_path / name) for name in ("a", "b")]
    try:
        for process, url, log in started:
            _wait(process, url, log)
        yield bucket, [url for _, url, _ in started], [tmp_path / "a", tmp_path / "b"]
    finally:
        for process, _, _ in started:
            process.terminate()
            process.wait(timeout=20)


def test_an_image_uploaded_through_one_instance_is_served_by_the_other(two_instances, staff):
    bucket, (first, second), media_roots = two_instances
    product = ProductFactory(title="Mesob basket")
    headers = {"Authorization": f"Bearer {RefreshToken.for_user(staff).access_token}"}
    content = picture("JPEG", (1800, 1200), exif=camera_exif(orientation=1))
    response = requests.post(
        f"{first}/api/products/{product.pk}/images/",
        files={"file": ("basket.jpg", content, "image/jpeg")},
        data={"alt": "Mesob"},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 201, response.text
    image_id = response.json()["id"]

    shown = requests.get(f"{second}/api/products/{product.pk}/", timeout=10).json()
    image = shown["images"][0]
    assert image["id"] == image_id and shown["image"]["id"] == image_id
    sizes = {}
    for field in ("url", "large", "medium", "thumbnail"):
        assert image[field].startswith(bucket.endpoint), image[field]
        served = requests.get(image[field], timeout=10)
        assert served.status_code == 200
        sizes[field] = Image.open(io.BytesIO(served.content)).size
    assert sizes == {"url": (1800, 1200), "large": (1200, 800), "medium": (600, 400), "thumbnail": (200, 133)}
    assert len(bucket.names()) == 4
    assert not any(path.is_file() for root in media_roots for path in root.rglob("*"))

    # and a deletion through the second instance empties the bucket
    deleted = requests.delete(f"{second}/api/products/{product.pk}/images/{image_id}/", headers=headers, timeout=10)
    assert deleted.status_code == 204
    assert bucket.names() == set()
