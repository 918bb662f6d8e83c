"""Swagger UI, ReDoc and the admin in a real headless Chromium: the pages render, with every
asset from this server (no CDN), and staff can log in and open an order."""

import json
import shutil
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
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    chrome.set_page_load_timeout(60)
    yield chrome
    chrome.quit()


def requested_hosts(browser) -> set[str]:
    """Hosts the page really sent requests to (not those its security policy blocked)."""
    started, blocked = {}, set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent" and params["request"]["url"].startswith("http"):
            started[params["requestId"]] = urlsplit(params["request"]["url"]).hostname
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            blocked.add(params["requestId"])
    return {host for request_id, host in started.items() if request_id not in blocked}


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
    browser.get(live_server.url + reverse("redoc"))
    wait_for_text(browser, "h1", "Shop API")
    assert requested_hosts(browser) == {urlsplit(live_server.url).hostname}


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
    assert requested_hosts(browser) == {urlsplit(live_server.url).hostname}
