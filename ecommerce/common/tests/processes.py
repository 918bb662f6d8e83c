"""Real processes the tests talk to over real connections: the Chapa and SMS sandboxes, an SMTP server,
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


def _start_sandbox(name: str, *args: str) -> tuple[subprocess.Popen, str]:
    """Start `python -m <args>` (a sandbox on a free port) and return it with its base URL."""
    log = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", *args, "--port", "0"],
        cwd=Path(django_settings.BASE_DIR),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        pytest.fail(f"the {name} did not start: {line!r}; see {log.name}")
    return process, line.rsplit(" ", 1)[1].strip()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def chapa_sandbox_process():
    process, url = _start_sandbox("chapa-sandbox", "payments.sandbox", "--webhook-secret", WEBHOOK_SECRET)
    yield Sandbox(url)
    _stop(process)


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


# -- the SMS gateway sandbox ---------------------------------------------------------------------

SMS_TOKEN = "pytest-sms-token-0123456789"


class SmsGateway:
    """Drives the SMS sandbox's `/_sandbox/` control API."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.api_url = f"{base_url}/api"

    def reset(self) -> None:
        requests.post(f"{self.base_url}/_sandbox/reset", timeout=10).raise_for_status()

    def config(self, **options) -> dict:
        """`fail_next` (how many sends fail next), `failure` (error, http500, timeout, down),
        `timeout_seconds`, `token`."""
        response = requests.post(f"{self.base_url}/_sandbox/config", json=options, timeout=10)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict:
        return requests.get(f"{self.base_url}/_sandbox/state", timeout=10).json()

    def messages(self, to: str | None = None) -> list[dict]:
        return [m for m in self.state()["messages"] if to is None or m["to"] == to]


@pytest.fixture(scope="session")
def sms_sandbox_process():
    process, url = _start_sandbox("sms-sandbox", "ecommerce.outbox.sms_sandbox", "--token", SMS_TOKEN)
    yield SmsGateway(url)
    _stop(process)


@pytest.fixture
def sms_gateway(sms_sandbox_process, settings):
    """A clean SMS sandbox, with the shop sending its SMS there through the AfroMessage backend."""
    sms_sandbox_process.reset()
    settings.SMS_BACKEND = "afromessage"
    settings.SMS_BASE_URL = sms_sandbox_process.api_url
    settings.SMS_API_TOKEN = SMS_TOKEN
    settings.SMS_IDENTIFIER, settings.SMS_SENDER = "pytest-identifier", "Shop"
    settings.SMS_CONNECT_TIMEOUT = settings.SMS_READ_TIMEOUT = 1.0
    return sms_sandbox_process


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
    PostgreSQL database and sending e-mail to `smtp_server` (and SMS where the test's settings
    say). Tasks sent by the test go to it."""
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
        # The SMS gateway the test set (the sandbox with `sms_gateway` requested first).
        "SMS_BACKEND": settings.SMS_BACKEND,
        "SMS_BASE_URL": settings.SMS_BASE_URL,
        "SMS_API_TOKEN": settings.SMS_API_TOKEN,
        "SMS_RETRY_BACKOFF_SECONDS": "0.5",
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


# -- PostgreSQL clusters of a test's own (primary, streaming replica, PgBouncer) -----------------

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temporary directory, on a port of its own, that a test
    may stop and start (never the machine's shared cluster). trust auth on loopback, replication
    connections included (initdb's own pg_hba)."""

    def __init__(self, root: Path, name: str):
        self.directory = root / name
        self.port = free_port()
        self.log = root / f"{name}.log"
        self.root = root

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, *command: str) -> str:
        result = subprocess.run(_as_postgres(list(command)), capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr[-2000:]}")
        return result.stdout

    def init(self) -> "PostgresCluster":
        self.run(str(PG_BIN / "initdb"), "-D", str(self.directory), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def replica_of(self, primary: "PostgresCluster") -> "PostgresCluster":
        """A streaming replica: a base backup of `primary` that keeps following its WAL (-R)."""
        self.run(
            str(PG_BIN / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(self.directory), "-R", "-X", "stream", "-c", "fast"),
        )
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-m", "fast", "-w", "stop")

    def sql(self, query: str, database: str = "postgres"):
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(query)
            return cursor.fetchall() if cursor.description else None


def postgres_root() -> Path:
    """A temporary directory the `postgres` user may write in."""
    root = Path(tempfile.mkdtemp(prefix="shop-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    return root


def require_postgres_binaries() -> None:
    from conftest import skip_or_fail

    if not (PG_BIN / "initdb").exists():
        skip_or_fail(f"needs the PostgreSQL server programs in {PG_BIN}")


class ShopServer:
    """The shop under gunicorn, as its own process, configured only by environment variables."""

    def __init__(self, env: dict, *, workers: int = 2, args: tuple[str, ...] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="shop-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ecommerce.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(workers), "--timeout", "60", *args],
            cwd=Path(django_settings.BASE_DIR),
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{self.url}/health/", timeout=2)
                return
            except requests.RequestException:  # not listening yet, or a worker still booting
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"gunicorn did not start:\n{Path(self.log.name).read_text()[-3000:]}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def shop_env(**overrides: str) -> dict:
    """The environment of a shop process of a test's own: embedded defaults, no broker."""
    env = {key: value for key, value in os.environ.items() if key not in {"CELERY_BROKER_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="ecommerce.settings.local",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        THROTTLE_ANON="100000/min",
        THROTTLE_USER="100000/min",
        THROTTLE_LOGIN="100000/min",
        THROTTLE_REGISTER="100000/min",
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class PgBouncer:
    """Debian's /usr/sbin/pgbouncer in front of a cluster, in transaction pooling mode with a
    pool smaller than its clients, so that any state a client leaves on its session would show."""

    BINARY = Path("/usr/sbin/pgbouncer")

    def __init__(self, root: Path, cluster: PostgresCluster, *, database: str, pool_size: int = 1):
        self.port = free_port()
        config = root / "pgbouncer.ini"
        (root / "userlist.txt").write_text('"postgres" ""\n')
        config.write_text(
            f"[databases]\n{database} = host=127.0.0.1 port={cluster.port} dbname={database}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir = {root}\n"
            f"auth_type = trust\nauth_file = {root / 'userlist.txt'}\nadmin_users = postgres\n"
            f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 200\n"
            f"logfile = {root / 'pgbouncer.log'}\npidfile = {root / 'pgbouncer.pid'}\n"
        )
        if os.geteuid() == 0:
            for path in (config, root / "userlist.txt"):
                shutil.chown(path, "postgres", "postgres")
        self.process = subprocess.Popen(_as_postgres([str(self.BINARY), str(config)]))
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pgbouncer did not start: {(root / 'pgbouncer.log').read_text()}") from None
                time.sleep(0.1)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def show(self, what: str) -> list[dict]:
        """The admin console's SHOW <what> (it speaks the simple query protocol only: psql)."""
        result = subprocess.run(
            [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "pgbouncer"]
            + ["--csv", "-c", f"SHOW {what}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        import csv

        return list(csv.DictReader(result.stdout.splitlines()))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
