"""Fixtures shared by every app's tests."""

import os
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from backoffice.migrations._group import SHOP_STAFF
from users.tests.factories import StaffFactory, UserFactory

pytest_plugins = ["ecommerce.common.tests.processes"]

POSTGRES_MISSING = "needs PostgreSQL (row locks, concurrent writers, its own SQL): set DATABASE_URL=postgres://..."
# The README's command for a run on every service (a test keeps the two the same).
SERVICES_COMMAND = """\
DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop \\
REDIS_URL=redis://127.0.0.1:6379/1 \\
CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// \\
REQUIRE_SERVICES=1 bin/test --create-db"""


def services_required() -> bool:
    """In CI every service-backed test must run; on a laptop they may skip with a reason."""
    return os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this may not be skipped)")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        skip_or_fail(POSTGRES_MISSING)


def pytest_terminal_summary(terminalreporter):
    """A laptop run ends saying what it did not run and how to run it, so that a green run
    without services is not mistaken for the whole suite. Every skip here is a test that
    needs a service (`skip_or_fail`); with REQUIRE_SERVICES=1 there are none."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = Counter(report.longrepr[2].removeprefix("Skipped: ") for report in skipped)
    if not reasons:
        return
    on_postgres = reasons[POSTGRES_MISSING]
    others = sum(reasons.values()) - on_postgres
    terminalreporter.section(
        f"skipped {on_postgres} locking and concurrency tests (PostgreSQL only) and {others} other service tests",
        yellow=True,
        bold=True,
    )
    for reason, count in reasons.most_common():
        terminalreporter.write_line(f"{count:>5}  {reason}")
    terminalreporter.write_line('Run them all on real services (README.md, "The two commands"):', bold=True)
    for line in SERVICES_COMMAND.splitlines():
        terminalreporter.write_line(f"  {line}")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    # A test that flushed the tables had the content types made again under new ids; the
    # process-wide cache of them must not outlive that (the admin's log writes one).
    ContentType.objects.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _shop_language():
    """A request leaves its language active in the thread, as Django's LocaleMiddleware does;
    the next test starts from the shop's own again."""
    yield
    translation.deactivate()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def auth_client(user):
    return client_for(user)


@pytest.fixture
def other_client(other_user):
    return client_for(other_user)


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def owner_client(db):
    """A browser signed in to the admin as the shop's owner (a superuser): `.user` is who."""
    client = Client()
    client.user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(client.user)
    return client


@pytest.fixture
def shop_staff_group(db) -> Group:
    """The Shop staff group, as the back office's migrations make it. A transactional test
    flushes every table when it ends, the group with them (with --reuse-db, even one of an
    earlier run), so a test that needs the group asks for it here instead of trusting the
    migration to have left it."""
    if not Group.objects.filter(name=SHOP_STAFF).exists():
        _migrations_data_steps_run("backoffice")
    return Group.objects.get(name=SHOP_STAFF)


def _migrations_data_steps_run(app_label: str) -> None:
    # The migrations' own steps, on the models as they stood at each migration, so the group
    # and its permissions are never written down a second time.
    loader = MigrationLoader(connection)
    [leaf] = loader.graph.leaf_nodes(app_label)
    for key in loader.graph.forwards_plan(leaf):
        if key[0] != app_label:
            continue
        steps = [operation for operation in loader.graph.nodes[key].operations if isinstance(operation, RunPython)]
        if steps:
            state_apps = loader.project_state(key, at_end=False).apps
            for step in steps:
                step.code(state_apps, None)
