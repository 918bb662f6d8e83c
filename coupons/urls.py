from django.urls import path

from coupons import views

app_name = "coupons"

urlpatterns = [
    path("", views.CouponListCreateView.as_view(), name="list"),
    path("validate/", views.CouponValidateView.as_view(), name="validate"),
    path("<id:pk>/", views.CouponDetailView.as_view(), name="detail"),
]
