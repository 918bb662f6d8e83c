"""Production readiness that can be checked without Docker: settings, compose file, logs."""

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from conftest import skip_or_fail
from ecommerce.common.logging import JsonFormatter, RequestIdFilter

ROOT = Path(settings.BASE_DIR)


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_check_deploy_passes_with_the_production_example_environment():
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}, **env_example()}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def compose(*args: str, env_file: Path) -> subprocess.CompletedProcess:
    if shutil.which("docker-compose") is None:
        skip_or_fail("needs docker-compose (Debian package docker-compose) to validate docker-compose.yml")
    return subprocess.run(
        ["docker-compose", "--env-file", str(env_file), *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_compose_file_is_valid_and_complete():
    result = compose("config", env_file=ROOT / ".env.example")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {
        *("db", "db-replica", "pgbouncer", "redis", "rabbitmq", "minio", "createbuckets"),
        *("migrate", "web", "worker", "beat", "nginx"),
    }
    # The app: the primary through PgBouncer's transaction pooling, catalog reads from the replica;
    # migrations straight to the primary.
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    assert "@pgbouncer:5432/" in services["web"]["environment"]["DATABASE_URL"]
    assert "@db-replica:5432/" in services["web"]["environment"]["DATABASE_REPLICA_URLS"]
    assert "@db:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    assert services["db-replica"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7" and "--appendonly" in services["redis"]["command"]
    for name, service in services.items():
        assert name in ("migrate", "createbuckets") or "healthcheck" in service, f"{name} has no healthcheck"
    # migrations run once, before anything that uses the database
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    # web publishes no host port, so `--scale web=3` works; nginx is the only way in
    assert "ports" not in services["web"]
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["worker"]["command"][:4] == ["celery", "-A", "ecommerce", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "ecommerce", "beat"]
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "ecommerce.settings.production"
    # every instance and the worker share one media bucket, created before they start
    for name in ("web", "worker"):
        assert services[name]["environment"]["AWS_STORAGE_BUCKET_NAME"] == "shop-media"
        assert services[name]["depends_on"]["createbuckets"]["condition"] == "service_completed_successfully"


def test_compose_refuses_to_run_without_secrets(tmp_path):
    example = {k: v for k, v in env_example().items() if k != "SECRET_KEY"}
    env_file = tmp_path / "env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in example.items()))
    result = compose("config", env_file=env_file)
    assert result.returncode != 0
    assert "set SECRET_KEY in .env" in result.stderr


def test_nginx_config_passes_the_request_id_and_re_resolves_replicas():
    conf = (ROOT / "docker" / "nginx.conf").read_text()
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert "resolver 127.0.0.11" in conf and "set $web http://web:8000;" in conf


@pytest.mark.django_db
def test_json_logs_carry_the_request_id(api_client):
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(handler.format(record))
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = api_client.get("/api/no-such-page/", HTTP_X_REQUEST_ID="req-from-nginx-0001")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-from-nginx-0001"
    entry = json.loads(lines[-1])
    assert entry["request_id"] == "req-from-nginx-0001"
    assert entry["level"] == "WARNING" and "Not Found" in entry["message"]


@pytest.mark.django_db
def test_request_id_is_made_when_missing_or_unsafe(api_client):
    generated = api_client.get("/health/")["X-Request-ID"]
    assert len(generated) == 32
    assert api_client.get("/health/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"] != "bad id"
