"""Swagger UI, ReDoc and the admin in a real headless Chromium: the pages render, with every
asset from this server (no CDN), and staff can log in and open an order."""

import json
import os
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
