"""The Chapa sandbox, run as its own process and spoken to over real HTTP."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings

WEBHOOK_SECRET = "pytest-webhook-secret"


class Sandbox:
    """Drives the sandbox's `/_sandbox/` control API."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.api_url = f"{base_url}/v1"

    def _post(self, path: str, **body) -> dict:
        response = requests.post(f"{self.base_url}/_sandbox/{path}", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self._post("reset")

    def config(self, **options) -> dict:
        return self._post("config", **options)

    def state(self) -> dict:
        return requests.get(f"{self.base_url}/_sandbox/state", timeout=10).json()

    def transaction(self, tx_ref: str) -> dict:
        response = requests.get(f"{self.base_url}/_sandbox/transactions/{tx_ref}", timeout=10)
        response.raise_for_status()
        return response.json()

    def verify_mode(self, tx_ref: str, mode: str) -> None:
        self._post(f"transactions/{tx_ref}/verify_mode", mode=mode)

    def complete(self, tx_ref: str, status: str, *, callback: bool = False, webhook: bool = False) -> dict:
        """The customer finishes on Chapa's page; optionally Chapa calls back and sends its webhook."""
        return self._post(f"transactions/{tx_ref}/complete", status=status, callback=callback, webhook=webhook)

    def wait_for_deliveries(self, count: int, timeout: float = 30) -> list[dict]:
        """Wait until the sandbox has made `count` callback/webhook deliveries (made in the background
        after the checkout page), so none is still in flight when the test ends."""
        deadline = time.monotonic() + timeout
        while len(deliveries := self.state()["deliveries"]) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {len(deliveries)} of {count} deliveries: {deliveries}")
            time.sleep(0.05)
        return deliveries

    def resend_webhook(self, tx_ref: str) -> int | None:
        return self._post(f"transactions/{tx_ref}/webhook")["webhook_status"]


@pytest.fixture(scope="session")
def chapa_sandbox_process():
    log = tempfile.NamedTemporaryFile(prefix="chapa-sandbox-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "payments.sandbox", "--port", "0", "--webhook-secret", WEBHOOK_SECRET],
        cwd=Path(django_settings.BASE_DIR),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        pytest.fail(f"the Chapa sandbox did not start: {line!r}; see {log.name}")
    yield Sandbox(line.rsplit(" ", 1)[1].strip())
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def chapa(chapa_sandbox_process, settings):
    """A clean sandbox, with the shop's Chapa settings pointing at it."""
    chapa_sandbox_process.reset()
    settings.CHAPA_BASE_URL = chapa_sandbox_process.api_url
    settings.CHAPA_SECRET_KEY = "CHASECK_TEST-pytest-secret-key-0123456789"
    settings.CHAPA_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.CHAPA_CONNECT_TIMEOUT = 1.0
    settings.CHAPA_READ_TIMEOUT = 1.0
    settings.CHAPA_MAX_RETRIES = 2
    return chapa_sandbox_process


@pytest.fixture
def shop_url_for_chapa(chapa, live_server, settings):
    """Let the sandbox reach this test's server: callbacks and webhooks over real HTTP."""
    settings.CHAPA_CALLBACK_URL = live_server.url + "/api/payments/verify/{payment_id}/"
    settings.CHAPA_RETURN_URL = live_server.url + "/api/payments/verify/{payment_id}/"
    chapa.config(webhook_url=live_server.url + "/api/payments/webhook/", webhook_secret=WEBHOOK_SECRET)
    return live_server.url
