"""Who may do what: every endpoint, every method, four roles. The list of endpoints comes from
the URL conf, so a new endpoint without an entry here fails the test until someone decides."""

import pytest

from conftest import client_for
from ecommerce.common.tests.endpoints import api_endpoints, url_of

ROLES = ("anonymous", "customer", "other_customer", "staff")

# (url name, method): (status for anonymous, the owner, another customer, staff)[, body].
# Objects in URLs belong to the owner; bodies are {} unless given.
MATRIX = {
    ("users:register", "post"): (400, 400, 400, 400),
    ("users:login", "post"): (400, 400, 400, 400),
    ("users:token-refresh", "post"): (400, 400, 400, 400),
    ("users:logout", "post"): (401, 400, 400, 400),
    ("users:me", "get"): (401, 200, 200, 200),
    ("users:me", "patch"): (401, 200, 200, 200),
    ("users:password-change", "post"): (401, 400, 400, 400),
    ("users:password-reset", "post"): (400, 400, 400, 400),
    ("users:password-reset-confirm", "post"): (400, 400, 400, 400),
    ("users:otp-request", "post"): (400, 400, 400, 400),
    ("users:otp-verify", "post"): (400, 400, 400, 400),
    ("categories:list", "get"): (200, 200, 200, 200),
    ("categories:list", "post"): (401, 403, 403, 400),
    ("categories:detail", "get"): (200, 200, 200, 200),
    ("categories:detail", "put"): (401, 403, 403, 400),
    ("categories:detail", "patch"): (401, 403, 403, 200),
    ("categories:detail", "delete"): (401, 403, 403, 409),  # it still holds products
    ("products:list", "get"): (200, 200, 200, 200),
    ("products:list", "post"): (401, 403, 403, 400),
    ("products:detail", "get"): (200, 200, 200, 200),
    ("products:detail", "put"): (401, 403, 403, 400),
    ("products:detail", "patch"): (401, 403, 403, 200),
    ("products:detail", "delete"): (401, 403, 403, 204),
    ("products:variants", "post"): (401, 403, 403, 400),
    ("products:variant-detail", "patch"): (401, 403, 403, 200),
    ("products:variant-detail", "delete"): (401, 403, 403, 204),
    ("products:variant-stock", "post"): (401, 403, 403, 400),
    ("products:stock-movements", "get"): (401, 403, 403, 200),
    ("products:images", "post"): (401, 403, 403, 415),  # multipart only (see the image tests)
    ("products:image-detail", "patch"): (401, 403, 403, 200),
    ("products:image-detail", "delete"): (401, 403, 403, 204),
    ("addresses:list", "get"): (401, 200, 200, 200),
    ("addresses:list", "post"): (401, 400, 400, 400),
    ("addresses:detail", "get"): (401, 200, 404, 404),
    ("addresses:detail", "patch"): (401, 200, 404, 404),
    ("addresses:detail", "delete"): (401, 204, 404, 404),
    ("coupons:list", "get"): (401, 200, 200, 200),
    ("coupons:list", "post"): (401, 403, 403, 400),
    ("coupons:validate", "post"): (401, 400, 400, 400),
    ("coupons:detail", "get"): (401, 403, 403, 200),
    ("coupons:detail", "patch"): (401, 403, 403, 200),
    ("coupons:detail", "delete"): (401, 403, 403, 204),
    ("cart:detail", "get"): (401, 200, 200, 200),
    ("cart:add", "post"): (400, 400, 400, 400),  # anyone: without a login, a guest cart
    ("cart:item", "patch"): (401, 200, 404, 404, {"quantity": 1}),
    ("cart:item", "delete"): (401, 200, 404, 404),
    ("cart:clear", "delete"): (401, 200, 200, 200),
    ("cart:merge", "post"): (401, 400, 400, 400),  # cart_token is required
    ("orders:list", "get"): (401, 200, 200, 200),
    ("orders:create", "post"): (401, 400, 400, 400),
    ("orders:track", "get"): (400, 400, 400, 400),  # number and phone are required
    ("orders:detail", "get"): (401, 200, 404, 200),
    ("orders:cancel", "post"): (401, 200, 404, 200),
    ("orders:update-status", "patch"): (401, 403, 403, 400),
    ("orders:packing-slip", "get"): (401, 403, 403, 200),
    ("delivery:options", "get"): (401, 400, 400, 400),  # address_id is required
    ("order-payments:record-payment", "post"): (401, 403, 403, 400),
    ("order-payments:receipt", "get"): (401, 409, 404, 409),  # the order is not paid
    ("orders:returns", "post"): (401, 400, 404, 404),  # only the customer asks; no lines given
    ("returns:list", "get"): (401, 200, 200, 200),
    ("returns:detail", "get"): (401, 200, 404, 200),
    ("returns:cancel", "post"): (401, 200, 404, 404),  # the customer's own; staff reject instead
    ("returns:approve", "post"): (401, 403, 403, 200),
    ("returns:reject", "post"): (401, 403, 403, 400),  # the note is required
    ("returns:receive", "post"): (401, 403, 403, 400),  # the lines are required
    ("return-payments:refund", "post"): (401, 403, 403, 400),  # still requested: invalid_transition
    ("return-payments:credit-note", "get"): (401, 409, 404, 409),  # not refunded
    ("payments:list", "get"): (401, 200, 200, 200),
    ("payments:initiate", "post"): (401, 502, 404, 404, "order"),  # the owner reaches the (absent) gateway
    ("payments:verify", "get"): (200, 200, 200, 200),
    ("payments:verify", "post"): (200, 200, 200, 200),
    ("payments:webhook", "post"): (400, 400, 400, 400),  # unsigned
    ("reviews:list", "get"): (200, 200, 200, 200),
    ("reviews:list", "post"): (401, 400, 400, 400),
    ("reviews:detail", "get"): (200, 200, 200, 200),
    ("reviews:detail", "patch"): (401, 200, 403, 403),
    ("reviews:detail", "delete"): (401, 204, 403, 403),
    ("health", "get"): (200, 200, 200, 200),
    ("health-ready", "get"): (200, 200, 200, 200),
    ("metrics", "get"): (404, 404, 404, 404),  # no METRICS_TOKEN set: it does not exist
    ("schema", "get"): (200, 200, 200, 200),
    ("swagger-ui", "get"): (200, 200, 200, 200),
    ("redoc", "get"): (200, 200, 200, 200),
}


def test_every_endpoint_has_an_entry():
    assert api_endpoints() == set(MATRIX), (
        f"missing: {sorted(api_endpoints() - set(MATRIX))}; stale: {sorted(set(MATRIX) - api_endpoints())}"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), sorted(MATRIX))
def test_access(world, name, method, role):
    entry = MATRIX[(name, method)]
    expected = entry[ROLES.index(role)]
    body = entry[4] if len(entry) > 4 else {}
    if body == "order":
        body = {"order_id": str(world["order"].pk)}
    url = url_of(name, world["objects"].get(name))
    client = client_for(world["users"][role])
    response = getattr(client, method)(url, body, format="json") if method != "get" else client.get(url)
    assert response.status_code == expected, (name, method, role, response.content[:300])
