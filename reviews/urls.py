from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListCreateView.as_view(), name="list"),
    path("<id:pk>/", views.ReviewDetailView.as_view(), name="detail"),
]
