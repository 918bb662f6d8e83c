from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("", views.PaymentListView.as_view(), name="list"),
    path("initiate/", views.PaymentInitiateView.as_view(), name="initiate"),
    path("verify/<uuid:payment_id>/", views.PaymentVerifyView.as_view(), name="verify"),
    path("webhook/", views.PaymentWebhookView.as_view(), name="webhook"),
]
