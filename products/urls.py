from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("", views.ProductListCreateView.as_view(), name="list"),
    path("<id:pk>/", views.ProductDetailView.as_view(), name="detail"),
    path("<id:pk>/variants/", views.VariantCreateView.as_view(), name="variants"),
    path("<id:pk>/variants/<id:variant_id>/", views.VariantDetailView.as_view(), name="variant-detail"),
    path("<id:pk>/variants/<id:variant_id>/stock/", views.VariantStockAdjustView.as_view(), name="variant-stock"),
    path("<id:pk>/images/", views.ProductImageCreateView.as_view(), name="images"),
    path("<id:pk>/images/<id:image_id>/", views.ProductImageDetailView.as_view(), name="image-detail"),
    path("<id:pk>/stock-movements/", views.StockMovementListView.as_view(), name="stock-movements"),
]
