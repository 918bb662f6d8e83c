"""The client is the address our proxies saw (TRUSTED_PROXIES), never one the client wrote."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import RequestFactory
from rest_framework.request import Request

from ecommerce.common.client_ip import client_ip
from ecommerce.common.tests.test_deployment import compose
from ecommerce.common.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

ROOT = Path(settings.BASE_DIR)


def request_from(peer: str, forwarded: str | None = None):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "expected"),
    [
        # No proxy: the header is the client's own words and is ignored.
        (0, "198.51.100.9", None, "198.51.100.9"),
        (0, "198.51.100.9", "203.0.113.1", "198.51.100.9"),
        # One proxy that appends (or replaces): its entry is the last one.
        (1, "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        # Two proxies: the second entry from the right; what the client put left of it is ignored.
        (2, "10.0.0.3", "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        # A request that did not pass through every proxy, or garbage where an address belongs.
        (1, "10.0.0.2", None, "10.0.0.2"),
        (2, "10.0.0.3", "203.0.113.7", "10.0.0.3"),
        (1, "10.0.0.2", "1.2.3.4, not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_ip(settings, proxies, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request_from(peer, forwarded)) == expected


@pytest.mark.parametrize("throttle_class", [AnonRateThrottle, UserRateThrottle, ScopedRateThrottle])
@pytest.mark.parametrize("proxies", [0, 1])
def test_every_throttle_keys_on_the_client_ip(settings, throttle_class, proxies):
    settings.TRUSTED_PROXIES = proxies
    request = Request(request_from("10.0.0.2", "1.2.3.4, 203.0.113.7"))
    assert throttle_class().get_ident(request) == client_ip(request) == ["10.0.0.2", "203.0.113.7"][proxies]


def test_nginx_replaces_the_clients_x_forwarded_for():
    conf = (ROOT / "docker" / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "$proxy_add_x_forwarded_for" not in conf


def test_compose_trusts_exactly_the_one_nginx_in_front():
    result = compose("config", env_file=ROOT / ".env.example")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == "1"
