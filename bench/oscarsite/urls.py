"""oscar-api's urls under /api/, as its installation page sets them up. Its product list has no
category filter; a shop would add one the way oscar-api's docs say to customise a view, by
subclassing it, so /api/products/?category=<id> is that subclass (the only code added to it)."""

from django.urls import include, path
from oscarapi.views.product import ProductList


class CategoryProductList(ProductList):
    def get_queryset(self):
        queryset = super().get_queryset()
        category = self.request.query_params.get("category")
        return queryset.filter(categories__id=category) if category else queryset


urlpatterns = [
    path("api/products/", CategoryProductList.as_view()),
    path("api/", include("oscarapi.urls")),
]
