from django.urls import path

from categories import views

app_name = "categories"

urlpatterns = [
    path("", views.CategoryListCreateView.as_view(), name="list"),
    path("<id:pk>/", views.CategoryDetailView.as_view(), name="detail"),
]
