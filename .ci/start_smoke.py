"""Drive a shop started by bin/start over HTTP, as a storefront would.

start_smoke.py newcomer BASE LOG          what the README promises of bin/start with no configuration
start_smoke.py guest BASE LOG SMS_SANDBOX the README's guest walk-through, run as it stands there
                                          (bin/start with SMS_BACKEND=afromessage)
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

mode, base, log = sys.argv[1:4]
README = Path(__file__).resolve().parent.parent / "README.md"
GUEST_WALK = "## A guest, from an empty cart to a paid order, with curl"


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


def shop_wait() -> None:
    deadline = time.time() + 600
    while True:
        try:
            call("GET", "/health/")
            return
        except (OSError, AssertionError):
            if time.time() > deadline:
                print(Path(log).read_text())
                sys.exit("bin/start did not bring the shop up")
            time.sleep(2)


def newcomer() -> None:
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


def readme_block(heading: str) -> str:
    """The first bash block under that heading of the README."""
    section = README.read_text().split(heading + "\n", 1)[1]
    match = re.search(r"^```bash\n(.*?)^```$", section.split("\n## ", 1)[0], re.S | re.M)
    assert match, f"no bash block under {heading!r} in README.md"
    return match.group(1)


def guest(sms_sandbox: str) -> None:
    """Run the README's walk-through with bash, exactly as written, and hold it to what it says."""
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", readme_block(GUEST_WALK)],
        env={**os.environ, "SHOP": base, "SMS": sms_sandbox},
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == 9, (done.returncode, done.stdout, done.stderr)
    cart, sent, created, merged, gone, paid_on_page, verified, order, tracked = lines
    assert json.loads(cart)["items"][0]["quantity"] == 2, cart
    assert json.loads(sent)["expires_in"] == 300, sent
    assert (created, gone, paid_on_page, verified) == ("true", '"cart_not_found"', "303", '"success"'), lines
    assert json.loads(merged) == {"items": json.loads(cart)["items"], "adjustments": []}, merged
    order, tracked = json.loads(order), json.loads(tracked)
    assert (order["status"], order["payment_status"]) == ("confirmed", "paid"), order
    assert tracked == {key: order[key] for key in ("number", "status", "payment_status")}, tracked
    print(f"README's guest walk-through works: a phone, its code from the SMS sandbox, order {order['number']} paid")


shop_wait()
if mode == "newcomer":
    newcomer()
elif mode == "guest":
    guest(sys.argv[4])
else:
    sys.exit(f"unknown mode {mode!r}")
