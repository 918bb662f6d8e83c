"""Settings shared by every environment; everything configurable is read from the environment.

With no variable set at all the shop runs on an embedded default: SQLite, a file cache,
Celery tasks executed inline, e-mail printed to the console and the built-in Chapa
sandbox. Each variable is documented in `.env.example`.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
import orjson
from celery.schedules import crontab
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A developer's `.env` fills in what the real environment leaves unset; it never overrides it.
load_dotenv(BASE_DIR / ".env", override=False)


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return default if value is None else int(value)


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many proxies in front of the app append to X-Forwarded-For (docker/nginx.conf: 1). Throttles,
# the admin lockout and logs key on the address the outermost of them saw (ecommerce.common.client_ip);
# 0 means the client is the socket's peer and X-Forwarded-For is ignored.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

INSTALLED_APPS = [
    "backoffice.apps.ShopAdminConfig",  # the admin, with the shop's dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "django_countries",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "ecommerce.outbox",
    "users",
    "categories",
    "products",
    "addresses",
    "coupons",
    "cart",
    "orders",
    "payments",
    "reviews",
    "backoffice",
]

MIDDLEWARE = [
    # First: a request's latency in /metrics covers every other middleware.
    "ecommerce.common.metrics.MetricsMiddleware",
    "ecommerce.common.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ecommerce.common.cache.CatalogCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecommerce.urls"
WSGI_APPLICATION = "ecommerce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ecommerce" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # Plain-text e-mails (ecommerce.outbox): nothing in them is HTML, so nothing is escaped;
        # a link with "&" in it must still work when copied.
        "NAME": "email_text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ecommerce" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: DATABASE_URL (PostgreSQL in every real deployment), SQLite when unset.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several gunicorn workers: writers queue for the lock at BEGIN
    # (instead of failing on a read-to-write upgrade), and WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Read replicas: DATABASE_REPLICA_URLS, comma-separated streaming replicas of DATABASE_URL.
# Public catalog and review reads go there (ecommerce.common.replicas); writes, locks and staff
# reads stay on the primary.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{_number}"] = dj_database_url.parse(
        _url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
DATABASE_ROUTERS = ["ecommerce.common.replicas.ReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # Safe behind PgBouncer's transaction pooling, where a session's server-side cursor
        # (QuerySet.iterator()) may be gone by the next fetch. Django's psycopg settings already
        # bind parameters client-side, so no prepared statement outlives a transaction either.
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
        # A primary that stops answering is a 503 within seconds, not a worker hung on connect.
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise a file cache.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
            "KEY_PREFIX": "shop",
        }
    }
    # Fail open: with Redis unreachable the cache reads as empty and the database answers.
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # A file cache, shared by the embedded default's gunicorn workers, so an invalidation made
    # by one worker is seen by all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": BASE_DIR / ".cache",
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds a public catalog response may be served from the cache; 0 turns the cache off.
# Edits show at once (the key's version changes); stock sold at checkout may lag this long.
CATALOG_CACHE_SECONDS = env_int("CATALOG_CACHE_SECONDS", 60)

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "users.backends.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)

# The admin login (django-axes): after 5 failures for one username from one client, that pair
# is refused (429), even with the right password, until 15 minutes pass without a new failure.
# The API's login has its throttle instead; its failures are recorded and count here too.
AXES_ONLY_ADMIN_SITE = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ecommerce.common.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded media (product images): this directory, served under MEDIA_URL by Django itself,
# unless AWS_STORAGE_BUCKET_NAME names an S3-compatible bucket (AWS S3, MinIO, R2, ...) that
# every web instance and worker shares, served by the bucket or AWS_S3_CUSTOM_DOMAIN.
MEDIA_ROOT = env("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = env("MEDIA_URL", "/media/")
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL")
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY")
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN")
    # Public, unsigned addresses: the same URL for every reader, so cached catalog answers stay valid.
    AWS_QUERYSTRING_AUTH = False
    # Every name is new (a random one per upload): nothing is ever renamed or overwritten by chance.
    AWS_S3_FILE_OVERWRITE = True
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "users.authentication.UserJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # orjson renders several times faster than the standard library's json (a 20-product page
    # in a fraction of a millisecond); the browsable API stays for people.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Field errors of list items are keyed by their index, an int, as the json module allows.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),
    # The API speaks JSON only; any other body is a 415.
    "DEFAULT_PARSER_CLASSES": ["ecommerce.common.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "ecommerce.common.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ecommerce.common.exception_handler.custom_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "ecommerce.common.throttling.AnonRateThrottle",
        "ecommerce.common.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", "120/min"),
        "user": env("THROTTLE_USER", "600/min"),
        "login": env("THROTTLE_LOGIN", "10/min"),
        "register": env("THROTTLE_REGISTER", "10/hour"),
        "password_reset": env("THROTTLE_PASSWORD_RESET", "5/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=60),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shop API",
    "DESCRIPTION": "REST API of the online shop: catalog, cart, coupons, checkout, Chapa payments "
    "in ETB, orders and reviews.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ecommerce.common.schema.add_error_responses",
        "ecommerce.common.schema.add_request_examples",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "OrderPaymentStatusEnum": "orders.models.PaymentStatus",
        "PaymentStateEnum": "payments.models.PaymentState",
    },
}

# E-mail: console unless EMAIL_BACKEND (or EMAIL_HOST) says otherwise.
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Shop <no-reply@shop.example>")
# Where links in e-mails (password reset, order pages) point: the storefront.
FRONTEND_URL = env("FRONTEND_URL", "http://localhost:8000")
SHOP_NAME = env("SHOP_NAME", "Shop")
# The outbox: first retry after this many seconds, doubling up to an hour, at most this many tries.
EMAIL_RETRY_BACKOFF_SECONDS = float(env("EMAIL_RETRY_BACKOFF_SECONDS", "60"))
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)
# How long a new e-mail is left to its own task before the periodic flush takes it.
EMAIL_OUTBOX_GRACE_SECONDS = env_int("EMAIL_OUTBOX_GRACE_SECONDS", 60)

# Celery: RabbitMQ when CELERY_BROKER_URL is set; otherwise tasks run inline in the web process.
CELERY_TASK_ALWAYS_EAGER = env("CELERY_BROKER_URL") is None
# Without one, a broker URL that names no server: inline tasks open no connection (see
# ecommerce/celery.py), and the readiness check reports the broker as not configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing a task never waits on a dead broker: the outbox and the periodic tasks catch up.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "shop")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "orders-expire-overdue": {"task": "orders.tasks.order_expire_overdue", "schedule": 60.0},
    "payments-reconcile-pending": {"task": "payments.tasks.payment_reconcile_pending", "schedule": 300.0},
    "outbox-flush": {"task": "users.tasks.outbox_flush", "schedule": 60.0},
    # 03:00 UTC is 06:00 in Addis Ababa: the list is waiting when the shop opens.
    "products-stock-low-digest": {"task": "products.tasks.stock_low_digest", "schedule": crontab(hour=3, minute=0)},
}

# Orders and payments.
SHOP_CURRENCY = "ETB"
ORDER_PAYMENT_TIMEOUT_MINUTES = env_int("ORDER_PAYMENT_TIMEOUT_MINUTES", 30)
# Staff are e-mailed when a variant's stock falls to its threshold; this is the shop's default.
LOW_STOCK_THRESHOLD = env_int("LOW_STOCK_THRESHOLD", 3)
# Prices include VAT at this rate (Ethiopia's standard 15%); 0 turns VAT off.
VAT_RATE = Decimal(env("VAT_RATE", "0.15"))
if not Decimal("0") <= VAT_RATE < Decimal("1"):
    raise ValueError("VAT_RATE must be a fraction from 0 up to 1, e.g. 0.15")
# The largest order total a customer may pay in cash on delivery.
COD_MAX_TOTAL = Decimal(env("COD_MAX_TOTAL", "20000.00"))
# What the receipt says about the seller.
SHOP_ADDRESS = env("SHOP_ADDRESS", "Bole Road, Addis Ababa, Ethiopia")
SHOP_TIN = env("SHOP_TIN", "")
# The storefront the payment return page links back to; unset, it shows no link.
STOREFRONT_URL = env("STOREFRONT_URL", "")
# Chapa. Without CHAPA_SECRET_KEY the shop talks to the built-in sandbox (`python -m
# payments.sandbox`, started by bin/start), so the whole purchase works with no Chapa account.
CHAPA_SANDBOX = env("CHAPA_SECRET_KEY") is None
CHAPA_SECRET_KEY = env("CHAPA_SECRET_KEY", "CHASECK_TEST-local-sandbox-key")
CHAPA_BASE_URL = env("CHAPA_BASE_URL", "http://127.0.0.1:8001/v1" if CHAPA_SANDBOX else "https://api.chapa.co/v1")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# {payment_id} is filled in: Chapa calls it after the payment, and it runs our verification.
CHAPA_CALLBACK_URL = env("CHAPA_CALLBACK_URL", SITE_URL + "/api/payments/verify/{payment_id}/")
# Where the customer's browser lands afterwards; {payment_id} and {order_id} are filled in.
# The default is the shop's own page that verifies the payment and says how it went.
CHAPA_RETURN_URL = env("CHAPA_RETURN_URL", SITE_URL + "/payments/{payment_id}/return/")
CHAPA_WEBHOOK_SECRET = env("CHAPA_WEBHOOK_SECRET", "local-sandbox-webhook-secret" if CHAPA_SANDBOX else None)
# Seconds to wait for Chapa: connecting, then reading the answer.
CHAPA_CONNECT_TIMEOUT = float(env("CHAPA_CONNECT_TIMEOUT", "5"))
CHAPA_READ_TIMEOUT = float(env("CHAPA_READ_TIMEOUT", "15"))
# Extra attempts after a connection error or a 5xx answer.
CHAPA_MAX_RETRIES = env_int("CHAPA_MAX_RETRIES", 2)
# Payments still pending after this many minutes are re-verified by the reconciliation task.
PAYMENT_RECONCILE_AFTER_MINUTES = env_int("PAYMENT_RECONCILE_AFTER_MINUTES", 2)

# /metrics (Prometheus) answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, it is a 404.
METRICS_TOKEN = env("METRICS_TOKEN")
# Gauges read from the database at each scrape: metric name -> "app.Model.field" to count rows by.
METRICS_STATUS_GAUGES = {
    "shop_payments": "payments.Payment.status",
    "shop_orders": "orders.Order.status",
}

# LOG_FORMAT=json (production's default) writes one JSON object per line; plain is for people.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ecommerce.common.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "ecommerce.common.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", "plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
