"""Test settings. Database, cache and broker still come from the environment, so CI runs the
suite on the real PostgreSQL, Redis and RabbitMQ; without them it runs on the embedded default."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK, env

if not env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The tests speak English unless they ask otherwise, whatever a developer's .env says.
SHOP_LANGUAGE = LANGUAGE_CODE = "en"
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks inline; the worker tests start a real worker on the real broker.
CELERY_TASK_ALWAYS_EAGER = True
# Tests that exercise throttling set their own rates; the rest must never be throttled.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {scope: "100000/min" for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]},
}
# Serve static files straight from the apps, as `runserver` would: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads of a test run go to a scratch directory, never into the repository.
MEDIA_ROOT = tempfile.mkdtemp(prefix="shop-test-media-")
# A replica named in the environment is the test database itself during tests (the replica
# tests start real clusters of their own).
for _alias, _database in DATABASES.items():
    if _alias != "default":
        _database["TEST"] = {"MIRROR": "default"}
# The embedded default's test database is a file, like the shop's own, not SQLite's in-memory
# default: the live server's requests (a return page while Chapa's callback comes in) then wait
# for the write lock and read past it (WAL) as the shop's workers do, where the in-memory
# database's shared cache refuses at once with "database table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="shop-test-db-")) / "test.sqlite3")}
