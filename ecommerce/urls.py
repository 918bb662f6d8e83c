import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ecommerce.common.converters import IdConverter
from ecommerce.common.health import HealthView, ReadinessView
from ecommerce.common.metrics import MetricsView
from ecommerce.common.pages import home

# Before any pattern below is built: every id in a path is `<id:...>`, never Django's unbounded `<int:...>`.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("health/", HealthView.as_view(), name="health"),
    path("health/ready/", ReadinessView.as_view(), name="health-ready"),
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/auth/", include("users.urls")),
    path("api/categories/", include("categories.urls")),
    path("api/products/", include("products.urls")),
    path("api/addresses/", include("addresses.urls")),
    path("api/coupons/", include("coupons.urls")),
    path("api/cart/", include("cart.urls")),
    path("api/delivery/", include("orders.delivery_urls")),
    path("api/orders/", include("orders.urls")),
    path("api/orders/", include("payments.order_urls")),
    path("api/payments/", include("payments.urls")),
    path("api/returns/", include("orders.return_urls")),
    path("api/returns/", include("payments.return_urls")),
    path("payments/", include("payments.page_urls")),
    path("api/reviews/", include("reviews.urls")),
]


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if not settings.AWS_STORAGE_BUCKET_NAME and settings.MEDIA_URL.startswith("/"):
    # Media on the local filesystem (the embedded default): Django serves it. With a bucket the
    # bucket (or its CDN) serves it and these requests never reach the app.
    urlpatterns.append(re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", media))

handler400 = "ecommerce.common.error_views.bad_request"
handler404 = "ecommerce.common.error_views.not_found"
handler500 = "ecommerce.common.error_views.server_error"
