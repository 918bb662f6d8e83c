from django.urls import include, path
from rest_framework.routers import SimpleRouter

from bench import reference
from ecommerce.urls import handler400, handler404, handler500  # noqa: F401
from ecommerce.urls import urlpatterns as shop_urlpatterns

router = SimpleRouter()
router.register("categories", reference.CategoryViewSet, basename="ref-category")
router.register("products", reference.ProductViewSet, basename="ref-product")

urlpatterns = [
    path("bench/bare/", reference.bare),
    path("bench/ref/", include(router.urls)),
    *shop_urlpatterns,
]
