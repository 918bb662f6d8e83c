"""Every model registered in the admin opens its list, search, add and change pages for staff."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.validators import ProhibitNullCharactersValidator
from django.test import Client, RequestFactory
from django.urls import reverse

from coupons.tests.factories import CouponFactory
from ecommerce.common.admin import StreamedExportMixin
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
NUL_REFUSED = str(ProhibitNullCharactersValidator.message)


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_pages_render(owner_client, app_label, model_name):
    place_order(user=UserFactory(), coupon_code=CouponFactory().code)  # a row in every table
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name))
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert owner_client.get(changelist).status_code == 200
    assert owner_client.get(changelist, {"q": "x"}).status_code == 200
    add_page = owner_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    request = RequestFactory().get("/")
    request.user = owner_client.user
    assert add_page.status_code == (200 if admin.site._registry[model].has_add_permission(request) else 403)
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        assert owner_client.get(change).status_code == 200


def test_customer_cannot_open_the_admin():
    client = Client()
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_category_page_links_to_its_products(owner_client):
    product = ProductFactory(stock=3)
    url = reverse("admin:categories_category_change", args=[product.category_id])
    page = owner_client.get(url)
    assert page.status_code == 200
    products_url = reverse("admin:products_product_changelist") + f"?category__id__exact={product.category_id}"
    assert products_url.replace("&", "&amp;") in page.content.decode()
    assert product.title in owner_client.get(products_url).content.decode()


def test_order_admin_advances_status_through_the_service(owner_client):
    confirmed = place_order(user=UserFactory())
    pending = place_order(user=UserFactory())
    order_payment_received(order_id=confirmed.pk, payment_ref="tx-1")
    response = owner_client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "advance_status", "_selected_action": [str(confirmed.pk), str(pending.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    confirmed.refresh_from_db()
    pending.refresh_from_db()
    assert (confirmed.status, pending.status) == ("processing", "pending")
    event = OrderEvent.objects.get(order=confirmed, status="processing")
    assert event.actor == owner_client.user
    assert "nothing to do from pending" in response.content.decode()


EXPORTING = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, StreamedExportMixin)
)


def filter_parameters(client, model) -> list[str]:
    """Every query parameter the change list's filters read, and its search's."""
    request = RequestFactory().get("/")
    request.user = client.user
    changelist = admin.site._registry[model].get_changelist_instance(request)
    return [SEARCH_VAR, *(name for spec in changelist.filter_specs for name in spec.expected_parameters())]


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_a_nul_in_the_search_or_a_list_filter_is_a_400(owner_client, app_label, model_name):
    # given rows in every table, so that every filter lists its choices
    place_order(user=UserFactory(), coupon_code=CouponFactory().code)
    model = apps.get_model(app_label, model_name)
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")

    for parameter in filter_parameters(owner_client, model):
        # when staff search or filter with a NUL (PostgreSQL holds none in a text value)
        response = owner_client.get(changelist, {parameter: "a\x00b"})

        # then the page refuses it in words, as a 400
        assert response.status_code == 400, parameter
        assert NUL_REFUSED in response.content.decode()


@pytest.mark.parametrize(("app_label", "model_name"), EXPORTING)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_nul_in_an_export_is_a_400(owner_client, app_label, model_name, fmt):
    place_order(user=UserFactory())
    export = reverse(f"admin:{app_label}_{model_name}_export", args=[fmt])
    for parameter in filter_parameters(owner_client, apps.get_model(app_label, model_name)):
        response = owner_client.get(export, {parameter: "\x00"})
        assert response.status_code == 400, parameter
        assert NUL_REFUSED in response.content.decode()


@pytest.mark.parametrize(("app_label", "model_name"), EXPORTING)
@pytest.mark.parametrize("params", [{"made_up": "1"}, {"created_at__gte": "not a date"}])
def test_an_export_with_filters_the_list_cannot_apply_is_a_400(owner_client, app_label, model_name, params):
    response = owner_client.get(reverse(f"admin:{app_label}_{model_name}_export", args=["csv"]), params)
    assert response.status_code == 400
    assert "filters" in response.content.decode()


def test_data_kept_as_json_is_shown_as_lines():
    from ecommerce.common.admin import data_html

    shown = data_html({"status": "success", "customization": {"title": "Order"}, "tags": ["a", "b"], "meta": None})
    assert shown == "status: success<br>customization › title: Order<br>tags: a, b<br>meta: -<br>"
    assert data_html([{"sku": "X-1"}, {"sku": "<b>"}]) == "1 › sku: X-1<br>2 › sku: &lt;b&gt;<br>"
    assert data_html(None) == data_html({}) == "-"
