from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("", views.ProductListCreateView.as_view(), name="list"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="detail"),
    path("<int:pk>/variants/", views.VariantCreateView.as_view(), name="variants"),
    path("<int:pk>/variants/<int:variant_id>/", views.VariantDetailView.as_view(), name="variant-detail"),
    path("<int:pk>/variants/<int:variant_id>/stock/", views.VariantStockAdjustView.as_view(), name="variant-stock"),
    path("<int:pk>/images/", views.ProductImageCreateView.as_view(), name="images"),
    path("<int:pk>/images/<int:image_id>/", views.ProductImageDetailView.as_view(), name="image-detail"),
    path("<int:pk>/stock-movements/", views.StockMovementListView.as_view(), name="stock-movements"),
]
