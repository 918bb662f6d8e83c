from django.urls import path

from payments import views

# Pages for people, at the site root (not under /api/): HTML, not JSON.
app_name = "payment-pages"

urlpatterns = [
    path("<uuid:payment_id>/return/", views.payment_return_page, name="return"),
]
