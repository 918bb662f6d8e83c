from django.urls import path

from orders import views

# Returns at /api/returns/; a customer asks for one under the order (orders.urls).
app_name = "returns"

urlpatterns = [
    path("", views.ReturnListView.as_view(), name="list"),
    path("<id:return_id>/", views.ReturnDetailView.as_view(), name="detail"),
    path("<id:return_id>/cancel/", views.ReturnCancelView.as_view(), name="cancel"),
    path("<id:return_id>/approve/", views.ReturnApproveView.as_view(), name="approve"),
    path("<id:return_id>/reject/", views.ReturnRejectView.as_view(), name="reject"),
    path("<id:return_id>/receive/", views.ReturnReceiveView.as_view(), name="receive"),
]
