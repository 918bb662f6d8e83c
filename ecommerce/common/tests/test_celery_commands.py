"""The README's worker and beat commands start, on the real broker, with the shop's schedule."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from conftest import skip_or_fail


@pytest.fixture
def broker_env(tmp_path):
    if not (settings.CELERY_BROKER_URL or "").startswith("amqp://"):
        skip_or_fail("needs RabbitMQ: set CELERY_BROKER_URL=amqp://...")
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local"}


def run_until(command: list[str], env: dict, expected: list[str], timeout: float = 60) -> str:
    process = subprocess.Popen(
        command, cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = ""
    deadline = time.monotonic() + timeout
    try:
        while not all(line in output for line in expected):
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(f"{command} did not print {expected}:\n{output[-3000:]}")
            output += process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=20)
    return output


def test_beat_starts_with_the_shop_schedule(broker_env, tmp_path):
    output = run_until(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ecommerce",
            "beat",
            "--loglevel",
            "debug",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        broker_env,
        ["orders-expire-overdue", "payments-reconcile-pending", "outbox-flush"],
    )
    assert "beat: Starting" in output


def test_worker_starts_and_registers_the_shop_tasks(broker_env):
    output = run_until(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ecommerce",
            "worker",
            "--loglevel",
            "info",
            "--pool",
            "solo",
            "--queues",
            "shop-command-test",
        ],
        broker_env,
        ["ready."],
    )
    for task in (
        "orders.tasks.order_expire_overdue",
        "payments.tasks.payment_verify",
        "payments.tasks.payment_reconcile_pending",
        "ecommerce.outbox.tasks.outbox_email_send",
        "ecommerce.outbox.tasks.outbox_flush",
    ):
        assert task in output
