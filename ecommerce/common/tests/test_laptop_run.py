"""`bin/test` on a laptop, with no service set: green, ending with what it skipped and the
README's command that runs it all."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from conftest import SERVICES_COMMAND

ROOT = Path(settings.BASE_DIR)
# One test that needs PostgreSQL and two that need RabbitMQ (they skip before touching it).
SKIPPING = [
    "orders/tests/services/test_order_place_from_cart.py::test_after_the_stock_lock_a_checkout_only_takes_the_stock",
    "ecommerce/common/tests/test_celery_commands.py",
]
SERVICE_VARIABLES = {"DATABASE_URL", "DATABASE_REPLICA_URLS", "REDIS_URL", "CELERY_BROKER_URL", "REQUIRE_SERVICES"}


def run_pytest(**env) -> subprocess.CompletedProcess:
    laptop = {name: value for name, value in os.environ.items() if name not in SERVICE_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *SKIPPING],
        cwd=ROOT,
        env={**laptop, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_it_ends_counting_the_skipped_tests_by_reason_with_the_command_that_runs_them():
    result = run_pytest()
    assert result.returncode == 0, result.stdout[-3000:]
    summary = result.stdout[result.stdout.index("skipped 1 locking and concurrency tests") :]
    assert "1 locking and concurrency tests (PostgreSQL only) and 2 other service tests" in summary
    assert "    1  needs PostgreSQL (row locks, concurrent writers, its own SQL)" in summary
    assert "    2  needs RabbitMQ: set CELERY_BROKER_URL=amqp://..." in summary
    assert all(f"  {line}" in summary for line in SERVICES_COMMAND.splitlines())


def test_the_command_it_prints_is_the_readmes():
    assert f"```bash\n{SERVICES_COMMAND}\n```" in (ROOT / "README.md").read_text()


def test_with_services_required_the_skips_are_failures_and_nothing_is_counted():
    result = run_pytest(REQUIRE_SERVICES="1")
    assert result.returncode == 1
    assert "3 errors" in result.stdout.splitlines()[-1]
    assert "locking and concurrency tests" not in result.stdout
