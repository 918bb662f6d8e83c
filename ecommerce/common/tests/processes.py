"""Real processes the tests talk to over real connections: the Chapa sandbox, an SMTP server,
a Celery worker on RabbitMQ. Registered as a pytest plugin by the root conftest."""

import email
import email.policy
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
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


# -- SMTP ---------------------------------------------------------------------------------------


class SmtpInbox:
    """An aiosmtpd handler that keeps what it receives and can refuse the next N messages."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_next = 0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next > 0:
            self.refuse_next -= 1
            self.refused += 1
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 60) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} of {count} e-mails arrived in {timeout}s")
            time.sleep(0.1)
        return self.messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the shop's e-mail settings point at it."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    inbox.port = controller.port
    yield inbox
    controller.stop()


# -- Celery worker on the real broker ----------------------------------------------------------------


def _broker_url() -> str:
    from django.conf import settings

    return settings.CELERY_BROKER_URL or ""


def shared_database_url() -> str:
    """The URL of the database this test run uses, for a process of its own to share it."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(postgres, transactional_db, smtp_server, settings):
    """`celery -A ecommerce worker` as its own process on the real broker, working on this test's
    PostgreSQL database and sending e-mail to `smtp_server`. Tasks sent by the test go to it."""
    from conftest import skip_or_fail
    from ecommerce.celery import app

    if not _broker_url().startswith("amqp://"):
        skip_or_fail("needs RabbitMQ: set CELERY_BROKER_URL=amqp://...")
    queue = f"shop-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": _broker_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_RETRY_BACKOFF_SECONDS": "0.5",
        "CHAPA_BASE_URL": settings.CHAPA_BASE_URL,
        "CHAPA_SECRET_KEY": settings.CHAPA_SECRET_KEY,
    }
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ecommerce",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
        ],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start; see {log.name}:\n{Path(log.name).read_text()[-3000:]}")
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def rabbitmq_outage():
    """Stop RabbitMQ's AMQP listener for real (`rabbitmqctl stop_app`); always started again."""
    from conftest import skip_or_fail

    if not _broker_url().startswith("amqp://") or shutil.which("rabbitmqctl") is None:
        skip_or_fail("needs a local RabbitMQ controlled by rabbitmqctl")

    def stop():
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=60)

    def start():
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True, timeout=120)
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", 5672), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    outage = type("Outage", (), {"stop": staticmethod(stop), "start": staticmethod(start)})
    try:
        yield outage
    finally:
        start()
