from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("", views.ProductListCreateView.as_view(), name="list"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="detail"),
]
