from django.urls import path

from cart import views

app_name = "cart"

urlpatterns = [
    path("", views.CartDetailView.as_view(), name="detail"),
    path("add/", views.CartItemAddView.as_view(), name="add"),
    path("items/<id:pk>/", views.CartItemDetailView.as_view(), name="item"),
    path("clear/", views.CartClearView.as_view(), name="clear"),
    path("merge/", views.CartMergeView.as_view(), name="merge"),
]
