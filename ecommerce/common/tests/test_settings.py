"""Configuration: every variable documented, production refusing unsafe defaults."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings

from ecommerce.common.tests.processes import free_port, manage, shop_env

ROOT = Path(settings.BASE_DIR)
SETTINGS_DIR = ROOT / "ecommerce" / "settings"
CHAPA_VARIABLES = {"CHAPA_SECRET_KEY", "CHAPA_BASE_URL", "CHAPA_WEBHOOK_SECRET"}
SMS_VARIABLES = {"SMS_BACKEND", "SMS_API_TOKEN", "SMS_BASE_URL"}


def variables_read_by_settings() -> set[str]:
    names = set()
    for module in SETTINGS_DIR.rglob("*.py"):
        text = module.read_text()
        names |= set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z0-9_]+)"', text))
        names |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', text))
    return names


def test_every_variable_is_documented_in_env_example():
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    missing = variables_read_by_settings() - documented
    assert not missing, f".env.example does not document {sorted(missing)}"


def _import_production(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "CHAPA_SECRET_KEY", "CHAPA_WEBHOOK_SECRET"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ecommerce.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


LIVE_SECRETS = {"SECRET_KEY": "x" * 50, "CHAPA_SECRET_KEY": "CHASECK-live", "CHAPA_WEBHOOK_SECRET": "w"}


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 50}, "CHAPA_SECRET_KEY and CHAPA_WEBHOOK_SECRET"),
        ({"SECRET_KEY": "x" * 50, "CHAPA_SECRET_KEY": "CHASECK-live"}, "CHAPA_WEBHOOK_SECRET"),
        ({**LIVE_SECRETS, "SMS_BACKEND": "twilio"}, "SMS_BACKEND must be console or afromessage"),
        (
            {**LIVE_SECRETS, "SMS_BACKEND": "afromessage"},
            "SMS_API_TOKEN must be set in production when SMS_BACKEND is afromessage",
        ),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, complaint):
    result = _import_production(**env)
    assert result.returncode != 0
    assert complaint in result.stderr


@pytest.mark.parametrize("sms", [{}, {"SMS_BACKEND": "afromessage", "SMS_API_TOKEN": "live-token"}])
def test_production_starts_with_its_secrets(sms):
    result = _import_production(**LIVE_SECRETS, **sms)
    assert result.returncode == 0, result.stderr


def test_the_embedded_default_runs_tasks_with_no_broker_connection(tmp_path):
    """No CELERY_BROKER_URL: tasks run inline, and nothing opens (or warns about) a connection."""
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "DATABASE_URL", "REDIS_URL"}}
    code = (
        "import django; django.setup()\n"
        "from ecommerce.celery import app\n"
        "assert app.tasks['celery.accumulate'].delay(1, 2).get() == (1, 2)\n"
        "print('pool opened' if app._pool else 'no pool')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local", "DATABASE_URL": f"sqlite:///{tmp_path}/db"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "no pool"
    assert "kombu" not in result.stderr and "hostname" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("command", "port_variable", "base_url_setting", "api_path", "unset"),
    [
        ("chapa_sandbox", "CHAPA_SANDBOX_PORT", "CHAPA_BASE_URL", "/v1", CHAPA_VARIABLES),
        ("sms_sandbox", "SMS_SANDBOX_PORT", "SMS_BASE_URL", "/api", SMS_VARIABLES),
    ],
)
def test_bin_starts_a_sandbox_that_listens_on_its_port(command, port_variable, base_url_setting, api_path, unset):
    # given no gateway configured (the embedded default) and another port for its sandbox
    port = free_port()
    env = {key: value for key, value in shop_env(**{port_variable: str(port)}).items() if key not in unset}

    # when bin/start's command starts the sandbox
    sandbox = subprocess.Popen(
        [sys.executable, "manage.py", command], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = sandbox.stdout.readline()
        base_url = manage(
            env, "shell", "--no-imports", "-c", f"from django.conf import settings; print(settings.{base_url_setting})"
        )

        # then it listens there, and the shop's gateway settings point there
        assert line.strip().endswith(f"listening on http://127.0.0.1:{port}"), line
        assert requests.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=10).status_code == 200
        assert base_url.strip() == f"http://127.0.0.1:{port}{api_path}"
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
