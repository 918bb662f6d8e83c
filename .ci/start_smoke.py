"""Drive a shop started by bin/start over HTTP, as a storefront would."""

import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

base, log = sys.argv[1], sys.argv[2]


def call(method, path, body=None, token=None, expect=200):
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path if path.startswith("/") else path, data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    parsed = json.loads(payload) if payload else None
    assert status == expect, f"{method} {path}: {status} {parsed}"
    return parsed


deadline = time.time() + 600
while True:
    try:
        call("GET", "/health/")
        break
    except (OSError, AssertionError):
        if time.time() > deadline:
            print(Path(log).read_text())
            sys.exit("bin/start did not bring the shop up")
        time.sleep(2)

products = call("GET", "/api/products/?in_stock=true&ordering=price")
assert products["count"] >= 10, products
assert call("POST", "/api/auth/login/", {"username": "admin", "password": "ShopAdmin#2026"})["access"]
with urllib.request.urlopen(base + "/api/docs/", timeout=10) as page:
    assert page.status == 200
with urllib.request.urlopen(base + "/", timeout=10) as page:
    home = page.read().decode()
assert all(f'href="{link}"' in home for link in ("/api/docs/", "/admin/", "/health/")), home

# A purchase as the demo customer, paid on the sandbox's checkout page.
token = call("POST", "/api/auth/login/", {"username": "abebe", "password": "Customer#2026"})["access"]
product = products["results"][0]
variant = next(v for v in product["variants"] if v["in_stock"])
call("POST", "/api/cart/add/", {"variant_id": variant["id"], "quantity": 1}, token, expect=201)
address = call(
    "POST",
    "/api/addresses/",
    {
        "full_name": "Abebe Kebede",
        "phone": "0911234567",
        "line1": "Bole Road 12",
        "city": "Addis Ababa",
        "region": "addis ababa",
    },
    token,
    expect=201,
)
options = call("GET", f"/api/delivery/options/?address_id={address['id']}", token=token)
assert "addis-ababa-courier" in [option["code"] for option in options], options
order = call(
    "POST",
    "/api/orders/create/",
    {"shipping_address_id": address["id"], "delivery_method": "addis-ababa-courier"},
    token,
    expect=201,
)
payment = call("POST", "/api/payments/initiate/", {"order_id": order["id"]}, token, expect=201)
sandbox_port = os.environ.get("CHAPA_SANDBOX_PORT", "8001")
assert payment["checkout_url"].startswith(f"http://127.0.0.1:{sandbox_port}/checkout/"), payment
form = urllib.parse.urlencode({"status": "success"}).encode()
with urllib.request.urlopen(urllib.request.Request(payment["checkout_url"], data=form), timeout=30) as done:
    page = done.read().decode()  # the sandbox sends the browser back to the shop's return page
assert f"Order {order['number']} is paid" in page, page
final = call("GET", f"/api/orders/{order['id']}/", token=token)
assert (final["status"], final["payment_status"]) == ("confirmed", "paid"), final
assert re.fullmatch(r"[0-9A-Z]{8}", final["number"])

# The embedded default prints e-mails on bin/start's console, as the README says.
deadline = time.time() + 30
expected = [
    f"Subject: [Shop] Order {final['number']} received",
    f"Subject: [Shop] Payment received for order {final['number']}",
]
while not all(line in Path(log).read_text() for line in expected):
    assert time.time() < deadline, f"the console shows no e-mails {expected}"
    time.sleep(0.5)
# One e-mail per event: the payment e-mail already says the order is confirmed.
assert f"Subject: [Shop] Order {final['number']}: Confirmed" not in Path(log).read_text()
print(
    f"bin/start works: {products['count']} demo products, staff login, docs, and order {final['number']} "
    f"paid through the Chapa sandbox, its e-mails on the console"
)
