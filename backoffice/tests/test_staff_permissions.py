"""Staff permissions: every staff write in the API needs the Django permission that the admin
checks for the same change, and the Shop staff group decides in the API exactly what it decides
in the admin. Being staff only lets a person in."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.permissions import IsAdminUser

from categories.models import Category
from categories.tests.factories import CategoryFactory
from conftest import client_for
from coupons.models import Coupon
from coupons.tests.factories import CouponFactory
from ecommerce.common.permissions import StaffPermissions
from orders.models import Order, Return
from orders.services.returns import return_approve, return_request
from orders.tests.factories import place_order
from payments.models import Payment
from payments.tests.factories import delivered_order
from products.admin import ProductImageInline
from products.models import Product, StockMovement, Variant
from products.services import product_image_create
from products.tests.factories import ProductFactory, default_variant
from products.tests.pictures import picture
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """One staff-only endpoint and method: the permission it needs, how to reach it with data of
    its own (`target()` -> (url, body)), and what the admin allows the same person."""

    name: str
    method: str
    permission: str
    target: Callable[[], tuple[str, dict | None]]
    admin_allows: Callable[[object], bool]
    format: str = "json"


def model_admin(model):
    return admin.site._registry[model]


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def may(model, action: str):
    """The model admin's own verdict: has_add/change/delete/view_permission."""
    return lambda user: getattr(model_admin(model), f"has_{action}_permission")(admin_request(user))


def offers_action(model, action: str):
    """Whether the model's change list offers that action to the user."""
    return lambda user: action in model_admin(model).get_actions(admin_request(user))


def image_inline_may(action: str):
    def check(user) -> bool:
        inline = ProductImageInline(Product, admin.site)
        return getattr(inline, f"has_{action}_permission")(admin_request(user), None)

    return check


def adjust_page_opens(user) -> bool:
    client = Client()
    client.force_login(user)
    variant = default_variant(ProductFactory())
    response = client.get(reverse("admin:products_variant_adjust_stock", args=[variant.pk]))
    assert response.status_code in (200, 403)
    return response.status_code == 200


def category():
    return CategoryFactory()


def product():
    return ProductFactory()


def product_with_options():
    return ProductFactory(stock=0, options=[{"name": "Size", "values": ["S", "M"]}])


def image():
    upload = SimpleUploadedFile("front.jpg", picture("JPEG", (64, 48)), content_type="image/jpeg")
    return product_image_create(product=ProductFactory(), file=upload)


def order():
    return place_order(user=UserFactory())


def url(name, *args):
    return reverse(name, args=args)


def product_body():
    return {"title": "Kemis", "price": "900.00", "category_id": CategoryFactory().pk}


def image_upload():
    return {"file": SimpleUploadedFile("side.png", picture("PNG", (32, 32)), content_type="image/png")}


def coupon_body():
    return {
        "code": "WELCOME10",
        "discount_type": "percentage",
        "value": "10.00",
        "valid_from": "2026-01-01T00:00:00+03:00",
        "valid_to": "2036-01-01T00:00:00+03:00",
    }


def _record_payment_target():
    placed = order()
    return url("order-payments:record-payment", placed.pk), {"amount": str(placed.total), "method": "cash"}


def requested_return() -> Return:
    """A return asked for by the customer of a delivered order paid in cash."""
    owner = UserFactory(is_superuser=True, is_staff=True)
    placed = delivered_order(user=UserFactory(), staff=owner)
    lines = [{"order_item_id": placed.items.get().pk, "quantity": 1, "reason": "damaged"}]
    return return_request(order_id=placed.pk, actor=placed.user, lines=lines)


def _return_approve_target():
    return url("returns:approve", requested_return().pk), {}


def _return_refund_target():
    ret = requested_return()
    return_approve(return_id=ret.pk, actor=None)
    return url("return-payments:refund", ret.pk), {"method": "cash"}


CASES = [
    Case(
        "category create",
        "POST",
        "categories.add_category",
        lambda: (url("categories:list"), {"name": "Shoes"}),
        may(Category, "add"),
    ),
    Case(
        "category replace",
        "PUT",
        "categories.change_category",
        lambda: (url("categories:detail", category().pk), {"name": "Dresses"}),
        may(Category, "change"),
    ),
    Case(
        "category edit",
        "PATCH",
        "categories.change_category",
        lambda: (url("categories:detail", category().pk), {"description": "Handwoven"}),
        may(Category, "change"),
    ),
    Case(
        "category delete",
        "DELETE",
        "categories.delete_category",
        lambda: (url("categories:detail", category().pk), None),
        may(Category, "delete"),
    ),
    Case(
        "product create",
        "POST",
        "products.add_product",
        lambda: (url("products:list"), product_body()),
        may(Product, "add"),
    ),
    Case(
        "product replace",
        "PUT",
        "products.change_product",
        lambda: (url("products:detail", product().pk), product_body()),
        may(Product, "change"),
    ),
    Case(
        "product edit",
        "PATCH",
        "products.change_product",
        lambda: (url("products:detail", product().pk), {"title": "Netela"}),
        may(Product, "change"),
    ),
    Case(
        "product delete",
        "DELETE",
        "products.delete_product",
        lambda: (url("products:detail", product().pk), None),
        may(Product, "delete"),
    ),
    Case(
        "variant create",
        "POST",
        "products.add_variant",
        lambda: (url("products:variants", product_with_options().pk), {"sku": "KMS-S", "options": {"Size": "S"}}),
        may(Variant, "add"),
    ),
    Case(
        "variant edit",
        "PATCH",
        "products.change_variant",
        lambda: (url("products:variant-detail", (p := product()).pk, default_variant(p).pk), {"price": "80.00"}),
        may(Variant, "change"),
    ),
    Case(
        "variant delete",
        "DELETE",
        "products.delete_variant",
        lambda: (url("products:variant-detail", (p := product()).pk, default_variant(p).pk), None),
        may(Variant, "delete"),
    ),
    Case(
        "stock adjustment",
        "POST",
        "products.adjust_stock",
        lambda: (
            url("products:variant-stock", (p := product()).pk, default_variant(p).pk),
            {"delta": 5, "reason": "restock"},
        ),
        adjust_page_opens,
    ),
    Case(
        "stock ledger",
        "GET",
        "products.view_stockmovement",
        lambda: (url("products:stock-movements", product().pk), None),
        may(StockMovement, "view"),
    ),
    Case(
        "image upload",
        "POST",
        "products.add_productimage",
        lambda: (url("products:images", product().pk), image_upload()),
        image_inline_may("add"),
        format="multipart",
    ),
    Case(
        "image edit",
        "PATCH",
        "products.change_productimage",
        lambda: (url("products:image-detail", (i := image()).product_id, i.pk), {"alt": "Front"}),
        image_inline_may("change"),
    ),
    Case(
        "image delete",
        "DELETE",
        "products.delete_productimage",
        lambda: (url("products:image-detail", (i := image()).product_id, i.pk), None),
        image_inline_may("delete"),
    ),
    Case(
        "coupon create",
        "POST",
        "coupons.add_coupon",
        lambda: (url("coupons:list"), coupon_body()),
        may(Coupon, "add"),
    ),
    Case(
        "coupon read",
        "GET",
        "coupons.view_coupon",
        lambda: (url("coupons:detail", CouponFactory().pk), None),
        may(Coupon, "view"),
    ),
    Case(
        "coupon edit",
        "PATCH",
        "coupons.change_coupon",
        lambda: (url("coupons:detail", CouponFactory().pk), {"value": "15.00"}),
        may(Coupon, "change"),
    ),
    Case(
        "coupon delete",
        "DELETE",
        "coupons.delete_coupon",
        lambda: (url("coupons:detail", CouponFactory().pk), None),
        may(Coupon, "delete"),
    ),
    Case(
        "order status",
        "PATCH",
        "orders.change_order",
        lambda: (url("orders:update-status", order().pk), {"status": "cancelled"}),
        offers_action(Order, "cancel_orders"),
    ),
    Case(
        "packing slip",
        "GET",
        "orders.view_order",
        lambda: (url("orders:packing-slip", order().pk), None),
        may(Order, "view"),
    ),
    Case(
        "record payment",
        "POST",
        "orders.record_payment",
        _record_payment_target,
        offers_action(Order, "record_payment"),
    ),
    Case(
        "return approve",
        "POST",
        "orders.change_return",
        _return_approve_target,
        offers_action(Return, "approve_returns"),
    ),
    Case(
        "return refund",
        "POST",
        "orders.refund",
        _return_refund_target,
        offers_action(Return, "refund_return"),
    ),
]
IDS = [case.name for case in CASES]


def staff_with(*permissions: str):
    user = UserFactory(is_staff=True)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def shop_staff(group: Group):
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    return user


def call(user, case: Case):
    target, body = case.target()
    client = client_for(user)
    return getattr(client, case.method.lower())(target, body, format=case.format)


def assert_allowed(response) -> None:
    assert response.status_code < 300, (response.status_code, response.content[:300])


def assert_refused(response) -> None:
    assert response.status_code == 403, (response.status_code, response.content[:300])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_staff_without_the_permission_are_refused(case):
    user = staff_with()
    assert not case.admin_allows(user)
    assert_refused(call(user, case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_staff_with_exactly_that_permission_are_allowed(case):
    user = staff_with(case.permission)
    assert case.admin_allows(user)
    assert_allowed(call(user, case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_shop_staff_group_decides_in_the_api_what_it_decides_in_the_admin(case, shop_staff_group):
    user = shop_staff(shop_staff_group)
    response = call(user, case)
    if case.admin_allows(user):
        assert_allowed(response)
    else:
        assert_refused(response)


@pytest.mark.parametrize("case", [case for case in CASES if case.method == "GET"], ids=lambda case: case.name)
def test_staff_who_may_change_what_they_read_may_read_it_as_in_the_admin(case):
    user = staff_with(case.permission.replace(".view_", ".change_"))
    assert case.admin_allows(user)
    assert_allowed(call(user, case))


def test_the_shop_staff_group_runs_orders_payments_and_stock_but_not_coupons_or_deleting_products(
    shop_staff_group,
):
    user = shop_staff(shop_staff_group)
    allowed = {case.name for case in CASES if case.admin_allows(user)}
    assert {
        "order status",
        "record payment",
        "packing slip",
        "stock adjustment",
        "stock ledger",
        "product create",
        "return approve",
        "return refund",
    } <= allowed
    assert not allowed & {"coupon create", "coupon edit", "coupon delete", "product delete", "category create"}


def test_a_superuser_may_do_everything():
    owner = UserFactory(is_staff=True, is_superuser=True)
    for case in CASES:
        assert case.admin_allows(owner), case.name
        assert_allowed(call(owner, case))


def test_a_customer_is_refused_every_staff_endpoint():
    customer = UserFactory()
    for case in CASES:
        assert_refused(call(customer, case))


def test_staff_may_not_cancel_another_customers_order_without_the_change_permission():
    # given a pending order of a customer and two staff members who may see orders
    placed = order()
    viewer, mover = staff_with("orders.view_order"), staff_with("orders.change_order")
    cancel = url("orders:cancel", placed.pk)
    # when the one who may only look tries the customer's cancel, then the order is not theirs
    assert client_for(viewer).post(cancel, {}, format="json").status_code == 404
    # then the one who may change orders cancels it
    assert client_for(mover).post(cancel, {}, format="json").status_code == 200
    placed.refresh_from_db()
    assert placed.status == "cancelled"


def test_staff_see_everyones_orders_and_payments_only_with_the_view_permission():
    placed = order()
    url_list = url("orders:list")
    assert client_for(staff_with()).get(url_list).json()["count"] == 0
    assert client_for(staff_with("orders.view_order")).get(url_list).json()["count"] == 1
    assert client_for(staff_with()).get(url("orders:detail", placed.pk)).status_code == 404
    Payment.objects.create(order=placed, amount=placed.total, tx_ref="tx-perm-1")
    assert client_for(staff_with()).get(url("payments:list")).json()["count"] == 0
    assert client_for(staff_with("payments.view_payment")).get(url("payments:list")).json()["count"] == 1


def test_refunds_in_the_admin_need_the_refund_permission(shop_staff_group):
    for user, offered in ((staff_with("payments.view_payment"), False), (shop_staff(shop_staff_group), True)):
        actions = model_admin(Payment).get_actions(admin_request(user))
        assert ("refund_with_chapa" in actions, "record_refund_made_elsewhere" in actions) == (offered, offered)


def _views(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and hasattr(entry.callback, "cls"):
            yield prefix + str(entry.pattern), entry.callback.cls


def test_the_walk_covers_every_staff_endpoint_of_the_api():
    """A staff endpoint added later must be added to the walk above, with its permission."""
    declared = set()
    for route, view in _views():
        classes = view.permission_classes
        assert IsAdminUser not in classes or StaffPermissions in classes, f"{route}: being staff decides alone"
        if StaffPermissions in classes:
            declared |= {(method, permission) for method, permission in view.staff_permissions.items()}
    assert declared == {(case.method, case.permission) for case in CASES}
