from django.urls import path

from addresses import views

app_name = "addresses"

urlpatterns = [
    path("", views.AddressListCreateView.as_view(), name="list"),
    path("<id:pk>/", views.AddressDetailView.as_view(), name="detail"),
]
