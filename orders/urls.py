from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("create/", views.OrderCreateView.as_view(), name="create"),
    path("track/", views.OrderTrackView.as_view(), name="track"),
    path("<uuid:order_id>/", views.OrderDetailView.as_view(), name="detail"),
    path("<uuid:order_id>/cancel/", views.OrderCancelView.as_view(), name="cancel"),
    path("<uuid:order_id>/update_status/", views.OrderStatusUpdateView.as_view(), name="update-status"),
    path("<uuid:order_id>/returns/", views.OrderReturnCreateView.as_view(), name="returns"),
    path("<uuid:order_id>/packing-slip/", views.OrderPackingSlipView.as_view(), name="packing-slip"),
]
