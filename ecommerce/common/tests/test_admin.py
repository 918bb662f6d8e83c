"""Every model registered in the admin opens its list, search, add and change pages for staff."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from coupons.tests.factories import CouponFactory
from orders.models import OrderEvent
from orders.services import order_payment_received
from orders.tests.factories import place_order
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label not in {"auth", "token_blacklist"}
)


@pytest.fixture
def admin_client_logged_in():
    client = Client()
    client.user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(client.user)
    return client


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_pages_render(admin_client_logged_in, app_label, model_name):
    place_order(user=UserFactory(), coupon_code=CouponFactory().code)  # a row in every table
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name))
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client_logged_in.get(changelist).status_code == 200
    assert admin_client_logged_in.get(changelist, {"q": "x"}).status_code == 200
    add_page = admin_client_logged_in.get(reverse(f"admin:{app_label}_{model_name}_add"))
    request = RequestFactory().get("/")
    request.user = admin_client_logged_in.user
    assert add_page.status_code == (200 if admin.site._registry[model].has_add_permission(request) else 403)
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        assert admin_client_logged_in.get(change).status_code == 200


def test_customer_cannot_open_the_admin():
    client = Client()
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_category_page_links_to_its_products(admin_client_logged_in):
    product = ProductFactory(stock=3)
    url = reverse("admin:categories_category_change", args=[product.category_id])
    page = admin_client_logged_in.get(url)
    assert page.status_code == 200
    products_url = reverse("admin:products_product_changelist") + f"?category__id__exact={product.category_id}"
    assert products_url.replace("&", "&amp;") in page.content.decode()
    assert product.title in admin_client_logged_in.get(products_url).content.decode()


def test_order_admin_advances_status_through_the_service(admin_client_logged_in):
    confirmed = place_order(user=UserFactory())
    pending = place_order(user=UserFactory())
    order_payment_received(order_id=confirmed.pk, payment_ref="tx-1")
    response = admin_client_logged_in.post(
        reverse("admin:orders_order_changelist"),
        {"action": "advance_status", "_selected_action": [str(confirmed.pk), str(pending.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    confirmed.refresh_from_db()
    pending.refresh_from_db()
    assert (confirmed.status, pending.status) == ("processing", "pending")
    event = OrderEvent.objects.get(order=confirmed, status="processing")
    assert event.actor == admin_client_logged_in.user
    assert "nothing to do from pending" in response.content.decode()


def test_data_kept_as_json_is_shown_as_lines():
    from ecommerce.common.admin import data_html

    shown = data_html({"status": "success", "customization": {"title": "Order"}, "tags": ["a", "b"], "meta": None})
    assert shown == "status: success<br>customization › title: Order<br>tags: a, b<br>meta: -<br>"
    assert data_html([{"sku": "X-1"}, {"sku": "<b>"}]) == "1 › sku: X-1<br>2 › sku: &lt;b&gt;<br>"
    assert data_html(None) == data_html({}) == "-"
