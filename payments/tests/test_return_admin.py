"""A return walked end to end in the admin by a member of the Shop staff group: every action
calls the return services, and the order page shows the return and its refund."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from orders.models import Return
from orders.services.returns import return_request
from payments.models import Refund
from payments.tests.factories import delivered_order
from products.models import StockMovement
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_return_changelist")


@pytest.fixture
def shop_staff_client(shop_staff_group):
    member = UserFactory(is_staff=True)
    member.groups.add(shop_staff_group)
    client = Client()
    client.force_login(member)
    client.user = member
    return client


def act(client, action: str, ret: Return, **form) -> str:
    """Tick the return, run `action` (and submit its form when it has one); the messages shown."""
    data = {"action": action, "_selected_action": [str(ret.pk)]}
    if form:
        data |= {"apply": "1", **form}
    response = client.post(CHANGELIST, data, follow=True)
    assert response.status_code == 200
    return " ".join(str(message) for message in response.context["messages"]).lower()


def test_shop_staff_approve_receive_and_refund_a_return_in_the_admin(shop_staff_client):
    # given a customer's return of both kemis of an order paid in cash and delivered
    kemis = ProductFactory(price=Decimal("100.00"), stock=5)
    order = delivered_order(user=UserFactory(), staff=StaffFactory(), lines=[(kemis, 2)])
    item = order.items.get()
    ret = return_request(
        order_id=order.pk, actor=order.user, lines=[{"order_item_id": item.pk, "quantity": 2, "reason": "damaged"}]
    )

    # when Shop staff approve it, receive it as resellable and refund it in cash
    assert f"{ret.number.lower()}: approved" in act(shop_staff_client, "approve_returns", ret)
    form = shop_staff_client.post(CHANGELIST, {"action": "receive_return", "_selected_action": [str(ret.pk)]})
    assert f"line_{item.pk}" in form.content.decode()
    assert "received" in act(shop_staff_client, "receive_return", ret, **{f"line_{item.pk}": "resellable"})
    refunded = act(shop_staff_client, "refund_return", ret, method="cash", reference="till 2", amount="")

    # then the return is refunded, the stock came back once, and the order page shows it all
    assert "refunded" in refunded
    ret.refresh_from_db()
    assert (ret.status, ret.refund_amount) == ("refunded", Decimal("200.00"))
    assert list(StockMovement.objects.filter(reason="returned").values_list("delta", flat=True)) == [2]
    refund = Refund.objects.get()
    assert (refund.method, refund.reference, refund.actor) == ("cash", "till 2", shop_staff_client.user)
    page = shop_staff_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert ret.number in page and "till 2" in page
    assert "200.00 ETB" in shop_staff_client.get(CHANGELIST).content.decode()
    assert shop_staff_client.get(reverse("admin:orders_return_change", args=[ret.pk])).status_code == 200
    assert order.number in shop_staff_client.get(reverse("admin:payments_refund_changelist")).content.decode()


def test_a_second_refund_in_the_admin_is_refused(shop_staff_client):
    order = delivered_order(user=UserFactory(), staff=StaffFactory())
    item = order.items.get()
    ret = return_request(
        order_id=order.pk, actor=order.user, lines=[{"order_item_id": item.pk, "quantity": 1, "reason": "other"}]
    )
    act(shop_staff_client, "approve_returns", ret)
    act(shop_staff_client, "refund_return", ret, method="cash", amount="")

    page = act(shop_staff_client, "refund_return", ret, method="cash", amount="")

    assert "already refunded" in page
    assert Refund.objects.count() == 1


def test_staff_without_the_permissions_are_not_offered_the_actions():
    viewer = UserFactory(is_staff=True)
    client = Client()
    client.force_login(viewer)
    assert client.get(CHANGELIST).status_code == 403
