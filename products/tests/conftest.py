"""Media storage for the image tests: a scratch directory, or a bucket on a real S3-compatible
server (moto's standalone server, its own process on loopback) started for the test run."""

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests

from ecommerce.common.tests.processes import free_port

S3_KEYS = {"access_key": "shop-test-key", "secret_key": "shop-test-secret"}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """`python -m moto.server` on a free loopback port; its endpoint URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(endpoint, timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the S3 server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
        region_name="us-east-1",
    )


class Bucket:
    def __init__(self, endpoint: str, name: str):
        self.endpoint, self.name = endpoint, name
        self.client = s3_client(endpoint)
        self.client.create_bucket(Bucket=name)

    def allow_public_reads(self) -> None:
        """What a deployment does to its media bucket (compose's `createbuckets` as well)."""
        statement = {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{self.name}/*",
        }
        self.client.put_bucket_policy(
            Bucket=self.name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
        )

    def names(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=name)["Body"].read()


class Directory:
    def __init__(self, root: Path):
        self.root = root

    def names(self) -> set[str]:
        return {str(path.relative_to(self.root)) for path in self.root.rglob("*") if path.is_file()}

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


@pytest.fixture
def media_dir(settings, tmp_path):
    """Media on the local filesystem (the embedded default), in this test's own directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return Directory(tmp_path / "media")


@pytest.fixture
def media_bucket(settings, s3_server):
    """Media in a new bucket of the S3 server, through django-storages' S3 backend."""
    bucket = Bucket(s3_server, f"shop-test-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "querystring_auth": False,
                **S3_KEYS,
            },
        },
    }
    return bucket


@pytest.fixture(params=["filesystem", "s3"])
def media(request):
    """Each test that takes it runs once on each storage: the same rules hold for both."""
    store = request.getfixturevalue("media_dir" if request.param == "filesystem" else "media_bucket")
    return store
