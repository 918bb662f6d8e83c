from django.urls import path

from payments import views

# What staff and customers do with an order's money, under the order's own path (/api/orders/):
# the payments app owns payment rows, and orders may not depend on it.
app_name = "order-payments"

urlpatterns = [
    path("<uuid:order_id>/record_payment/", views.OrderPaymentRecordView.as_view(), name="record-payment"),
    path("<uuid:order_id>/receipt/", views.OrderReceiptView.as_view(), name="receipt"),
]
