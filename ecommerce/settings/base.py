"""Settings shared by every environment; everything configurable is read from the environment.

With no variable set at all the shop runs on an embedded default: SQLite, a file cache,
Celery tasks executed inline, e-mail printed to the console and the built-in Chapa
sandbox. Each variable is documented in `.env.example`.
"""

import dj_database_url
import orjson

from ecommerce.settings.environment import BASE_DIR, env, env_bool, env_int, env_list
from ecommerce.settings.integrations.celery import *  # noqa: F403
from ecommerce.settings.integrations.chapa import *  # noqa: F403
from ecommerce.settings.integrations.email import *  # noqa: F403
from ecommerce.settings.integrations.jwt import *  # noqa: F403
from ecommerce.settings.integrations.lockout import *  # noqa: F403
from ecommerce.settings.integrations.logging import *  # noqa: F403
from ecommerce.settings.integrations.metrics import *  # noqa: F403
from ecommerce.settings.integrations.otp import *  # noqa: F403
from ecommerce.settings.integrations.shop import *  # noqa: F403
from ecommerce.settings.integrations.sms import *  # noqa: F403
from ecommerce.settings.integrations.storage import *  # noqa: F403

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
    # Before anything that may answer for a person (the NUL check, the catalog cache keyed on
    # the language); static files, served above, do not vary with it.
    "ecommerce.common.languages.LanguageMiddleware",
    "ecommerce.common.nul_characters.NulCharacterMiddleware",
    "ecommerce.common.cache.CatalogCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ecommerce.common.timezones.ApiUtcMiddleware",
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

# The shop speaks Amharic and English (ecommerce.common.languages). SHOP_LANGUAGE is its own
# language: a request's when neither its Accept-Language nor its user names one, and the
# language of the plain fields of translated content.
LANGUAGES = [("en", "English"), ("am", "አማርኛ")]
SHOP_LANGUAGE = env("SHOP_LANGUAGE", "en")
if SHOP_LANGUAGE not in dict(LANGUAGES):
    raise ValueError(f"SHOP_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}")
LANGUAGE_CODE = SHOP_LANGUAGE
# The project's catalogue (locale/am/LC_MESSAGES/django.po): the shop's shared strings, and
# Django's and DRF's own messages where they ship no Amharic. Each app has its own beside it.
LOCALE_PATHS = [BASE_DIR / "locale"]
# The shop's local time: what people read (e-mails, PDFs, exports, the admin) is in it, and the
# periodic jobs' crontabs are written in it. Stored times and the API stay in UTC.
TIME_ZONE = env("TIME_ZONE", "Africa/Addis_Ababa")
USE_I18N = True
USE_TZ = True
CELERY_TIMEZONE = TIME_ZONE

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
    "DEFAULT_THROTTLE_CLASSES": ["ecommerce.common.throttling.DefaultRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", "120/min"),
        "user": env("THROTTLE_USER", "600/min"),
        "login": env("THROTTLE_LOGIN", "10/min"),
        "register": env("THROTTLE_REGISTER", "10/hour"),
        "password_reset": env("THROTTLE_PASSWORD_RESET", "5/hour"),
        # New guest carts per client: one address may be a whole mobile network's (carrier NAT).
        "guest_cart": env("THROTTLE_GUEST_CART", "60/hour"),
        # Order tracking by number and phone: as tight as login, each try a guess at a phone.
        "track": env("THROTTLE_TRACK", env("THROTTLE_LOGIN", "10/min")),
        # Asking for and checking sign-in codes, per client; generous, as many phones share one
        # operator address, while the limits per number and OTP_HOURLY_LIMIT hold the rest.
        "otp": env("THROTTLE_OTP", "30/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
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
    # A guest's cart is reached with its token instead of a login (cart/views.py); Swagger UI's
    # Authorize dialog takes it beside the JWT.
    "APPEND_COMPONENTS": {"securitySchemes": {"cartToken": {"type": "apiKey", "in": "header", "name": "X-Cart-Token"}}},
    # The ids in paths (ecommerce/common/converters.py) are integers, as with Django's `int`.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer"}},
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "OrderPaymentStatusEnum": "orders.models.PaymentStatus",
        "PaymentStateEnum": "payments.models.PaymentState",
        "OrderEventTypeEnum": "orders.models.OrderEventType",
        "ReturnStatusEnum": "orders.models.ReturnStatus",
        "ReturnReasonEnum": "orders.models.ReturnReason",
        "StockReasonEnum": "products.models.StockReason",
        "PaymentMethodEnum": "payments.models.PaymentMethod",
        "OrderPaymentMethodEnum": "orders.models.PaymentMethod",
    },
}
