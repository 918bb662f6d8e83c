from django.urls import path

from orders import views

# Delivery belongs to orders (it prices them) but has its own place in the API: /api/delivery/.
app_name = "delivery"

urlpatterns = [
    path("options/", views.DeliveryOptionListView.as_view(), name="options"),
]
