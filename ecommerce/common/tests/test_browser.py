"""Swagger UI, ReDoc and the admin in a real headless Chromium: the pages render, with every
asset from this server (no CDN), and staff can log in and open an order."""

import hashlib
import hmac
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from conftest import skip_or_fail
from orders.tests.factories import place_order
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser(tmp_path):
    yield from _chromium(tmp_path)


@pytest.fixture
def amharic_browser(tmp_path):
    """A browser whose reader asks for Amharic (its Accept-Language says `am`)."""
    yield from _chromium(tmp_path, accept_language="am")


def _chromium(tmp_path, accept_language: str | None = None):
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        skip_or_fail("needs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    if accept_language:
        options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    chrome.set_page_load_timeout(60)
    yield chrome
    chrome.quit()


def requested_hosts(browser) -> set[str]:
    """Hosts the page asked for anything, including requests its security policy then blocked:
    a blocked request is still a page that does not work offline (and an error in the console)."""
    hosts = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith("http"):
                hosts.add(urlsplit(url).hostname)
    return hosts


def console_errors(browser) -> list[str]:
    # The browser asks every site for /favicon.ico on its own; the pages do not.
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and "/favicon.ico " not in entry["message"]
    ]


def assert_self_contained(browser, live_server) -> None:
    assert requested_hosts(browser) == {urlsplit(live_server.url).hostname}
    assert console_errors(browser) == []


def wait_for_text(browser, css: str, text: str, timeout: float = 30) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
    )


def test_swagger_ui_and_redoc_render_with_no_cdn(browser, live_server):
    browser.get(live_server.url + reverse("swagger-ui"))
    wait_for_text(browser, ".swagger-ui .info .title", "Shop API")
    wait_for_text(browser, ".swagger-ui", "/api/orders/create/")
    assert_self_contained(browser, live_server)
    browser.get(live_server.url + reverse("redoc"))
    wait_for_text(browser, "h1", "Shop API")
    assert_self_contained(browser, live_server)


def test_staff_logs_into_the_admin_and_sees_an_order(browser, live_server):
    from selenium.webdriver.common.by import By

    order = place_order(user=UserFactory())
    staff = UserFactory(is_staff=True, is_superuser=True)

    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys(staff.username)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for_text(browser, "#site-name", "Shop administration")

    browser.get(live_server.url + reverse("admin:orders_order_change", args=[order.pk]))
    wait_for_text(browser, "#content", order.number)
    page = browser.find_element(By.ID, "content").text
    assert "Order placed." in page  # the event inline
    assert order.items.get().product_title in page
    assert_self_contained(browser, live_server)


def test_the_owner_opens_the_dashboard(browser, live_server, tmp_path, settings):
    """The shop owner's morning: the dashboard renders in a real browser with its charts, asks no
    other host for anything, and is captured (SCREENSHOT_DIR=docs/img keeps the picture)."""
    from selenium.webdriver.common.by import By

    settings.LOW_STOCK_THRESHOLD = 3
    sell_for_a_month()
    owner = UserFactory(is_staff=True, is_superuser=True)

    browser.set_window_size(1280, 1400)
    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys(owner.username)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for_text(browser, "#low-stock", "low-stock threshold")

    charts = browser.find_elements(By.CSS_SELECTOR, "#dashboard svg[role=img]")
    assert len(charts) == 3 and all(chart.size["height"] > 100 for chart in charts)
    assert "ETB" in browser.find_element(By.ID, "sales-yesterday").text
    assert_self_contained(browser, live_server)
    shot = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "dashboard.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 20_000


def test_the_owner_opens_the_dashboard_in_amharic(amharic_browser, live_server, tmp_path, settings):
    """The same morning in Amharic: the dashboard's words and money read in Amharic
    (SCREENSHOT_DIR=docs/img keeps the picture as dashboard-am.png)."""
    from selenium.webdriver.common.by import By

    browser = amharic_browser
    settings.LOW_STOCK_THRESHOLD = 3
    sell_for_a_month()
    owner = UserFactory(is_staff=True, is_superuser=True)

    browser.set_window_size(1280, 1400)
    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys(owner.username)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for_text(browser, "#site-name", "የሱቅ አስተዳደር")

    assert "ብር" in browser.find_element(By.ID, "sales-yesterday").text
    assert "ዛሬ እስካሁን" in browser.find_element(By.ID, "dashboard").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#dashboard svg[role=img]")) == 3
    shot = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "dashboard-am.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 20_000


def sell_for_a_month() -> None:
    """Paid orders spread over the last weeks, a pending one, and a size running low."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from orders.models import Order
    from orders.services import order_payment_received
    from products.models import Variant
    from products.tests.factories import ProductFactory, product_with_sizes, set_stock

    coffee = ProductFactory(title="Yirgacheffe coffee beans 1 kg", price=Decimal("1450.00"), stock=500)
    pot = ProductFactory(title="Jebena clay coffee pot", price=Decimal("650.00"), stock=200)
    kemis = product_with_sizes(sizes=["S", "M", "L"], stock=40, price=Decimal("6500.00"), title="Habesha kemis")
    medium = Variant.objects.get(product=kemis, sku__endswith="-M")
    for day in range(28):
        for n in range(day % 4 + 1):
            lines = [(coffee, 1 + n % 2)] + ([(pot, 1)] if day % 3 == 0 else [])
            order = place_order(user=UserFactory(), lines=lines)
            order_payment_received(order_id=order.pk, payment_ref=f"tx-{order.number}")
            Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(days=day, hours=n))
    place_order(user=UserFactory(), lines=[(coffee, 1)])
    set_stock(medium, 2)


@pytest.mark.parametrize(("button", "says"), [("pay", "is paid"), ("fail", "is not paid")])
def test_after_chapa_the_customer_lands_on_a_page_that_says_what_happened(
    browser, live_server, chapa, settings, button, says
):
    from selenium.webdriver.common.by import By

    from payments.tests.factories import initiated_payment

    settings.CHAPA_RETURN_URL = live_server.url + "/payments/{payment_id}/return/"
    settings.STOREFRONT_URL = "http://127.0.0.1:9/shop"  # linked, never followed
    payment = initiated_payment(user=UserFactory())

    browser.get(payment.checkout_url)  # the sandbox's checkout page
    browser.find_element(By.CSS_SELECTOR, f"button.{button}").click()

    wait_for_text(browser, "#headline", f"Order {payment.order.number} {says}")
    assert browser.find_element(By.ID, "back").get_attribute("href") == settings.STOREFRONT_URL
    assert console_errors(browser) == []


# What raw data looks like on a page: a JSON object or a Python dict ({"size": or {'size':), or a
# list of objects ([{ ...).
RAW_DATA = re.compile(r"""\{\s*["'][^"'\n]*["']\s*:|\[\s*\{""")


def a_shop_with_a_row_in_every_table(chapa, client) -> None:
    """Everything the admin lists, made the way the shop makes it: an order of a shirt in a size
    and colour, shipped with tracking and paid through Chapa (its verify answer and webhook kept),
    reviewed, delivered, returned and refunded; a cart, a coupon, a delivery method, a sign-in code
    asked for, a blacklisted token, failed admin logins."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from rest_framework_simplejwt.tokens import RefreshToken

    from cart.services import cart_item_add
    from coupons.tests.factories import CouponFactory
    from ecommerce.common.tests.processes import WEBHOOK_SECRET
    from orders.services import order_status_change
    from orders.services.returns import return_approve, return_request
    from orders.tests.factories import DeliveryMethodFactory
    from payments.services import return_refund
    from payments.tests.factories import initiated_payment
    from products.services import variant_create
    from products.tests.factories import ProductFactory
    from reviews.services import review_create
    from users.services import otp_request

    DeliveryMethodFactory(code="addis", name="Addis courier", regions=["Addis Ababa"], cities=["Adama"])
    options = [{"name": "Size", "values": ["M"]}, {"name": "Colour", "values": ["Red"]}]
    shirt = ProductFactory(title="Cotton shirt", stock=0, options=options)
    variant_create(product=shirt, sku="SHIRT-RED-M", options={"Size": "M", "Colour": "Red"}, stock=5)
    customer = UserFactory()
    CouponFactory(code="WELCOME")
    payment = initiated_payment(user=customer, lines=[(shirt, 1)], delivery_method="addis", coupon_code="WELCOME")
    chapa.complete(payment.tx_ref, "success")
    body = json.dumps({"event": "charge.success", "tx_ref": payment.tx_ref, "status": "success"}).encode()
    signature = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    client.post(reverse("payments:webhook"), body, content_type="application/json", HTTP_X_CHAPA_SIGNATURE=signature)
    assert client.get(reverse("payments:verify", args=[payment.pk])).json()["status"] == "success"
    staff = UserFactory(is_staff=True)
    for step in ("processing", "shipped"):
        tracking = {"carrier": "Zemen Express", "number": "ZX-1", "url": "https://track.example.et/ZX-1"}
        order_status_change(
            order_id=payment.order_id, new_status=step, actor=staff, tracking=tracking if step == "shipped" else None
        )
    order_status_change(order_id=payment.order_id, new_status="delivered", actor=staff)
    review_create(user=customer, product=shirt, rating=5, comment="Fits well.")
    line = {"order_item_id": payment.order.items.get().pk, "quantity": 1, "reason": "not_as_described"}
    returned = return_request(order_id=payment.order_id, actor=customer, lines=[line])
    return_approve(return_id=returned.pk, actor=staff)
    return_refund(return_id=returned.pk, actor=staff)  # through Chapa, as it was paid
    otp_request(phone="0911234567", language="en")
    cart_item_add(user=UserFactory(), product_id=shirt.pk, quantity=1)
    RefreshToken.for_user(customer).blacklist()
    Group.objects.get_or_create(name="Packers")
    where = {"ip_address": "127.0.0.1", "user_agent": "Firefox", "http_accept": "*/*", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(
        username="intruder", get_data="", post_data="username=intruder", failures_since_start=1, **where
    )
    AccessFailureLog.objects.create(username="intruder", **where)
    AccessLog.objects.create(username="someone", **where)


def test_no_admin_page_shows_raw_data(browser, live_server, chapa, client):
    """A shop owner reads every admin page: the list and the change page of every registered
    model, with data, show words and values, never a JSON object or list of them."""
    from django.contrib import admin
    from selenium.webdriver.common.by import By

    a_shop_with_a_row_in_every_table(chapa, client)
    owner = UserFactory(is_staff=True, is_superuser=True)
    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys(owner.username)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for_text(browser, "#site-name", "Shop administration")

    pages, raw = [], {}
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        objects = list(model._default_manager.all()[:5])
        assert objects, f"no {model._meta.label} to look at"
        pages.append(reverse(f"{name}_changelist"))
        pages += [reverse(f"{name}_change", args=[obj.pk]) for obj in objects]
    for page in pages:
        browser.get(live_server.url + page)
        content = browser.find_element(By.ID, "content")
        # What the page says, and what its form fields hold (text inside inputs is read too).
        shown = [content.text] + browser.execute_script(
            "return [...document.querySelectorAll('#content input:not([type=hidden]), #content textarea')]"
            ".map(field => field.value)"
        )
        found = [match.group(0) for text in shown for match in [RAW_DATA.search(text)] if match]
        if found:
            raw[page] = [text[max(0, text.find(found[0]) - 40) :][:160] for text in shown if found[0] in text][0]
    assert not raw, "\n\n".join(f"{page}\n{text}" for page, text in raw.items())
