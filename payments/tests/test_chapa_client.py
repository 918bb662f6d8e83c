import logging
import socket
import time
from decimal import Decimal

import pytest

from payments.chapa import ChapaClient, ChapaError, get_client, parse_amount

SECRET = "CHASECK_TEST-do-not-log-me-0123456789"


def client(base_url, **overrides) -> ChapaClient:
    options = {"connect_timeout": 1.0, "read_timeout": 1.0, "max_retries": 2, "backoff": 0.05, **overrides}
    return ChapaClient(base_url=base_url, secret_key=SECRET, **options)


def payload(tx_ref="shop-test-1", **overrides):
    return {"amount": "1311.00", "currency": "ETB", "tx_ref": tx_ref, "email": "a@example.et", **overrides}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (100, Decimal("100")),
        ("100.00", Decimal("100.00")),
        ("1,311.00", Decimal("1311.00")),
        (12.5, Decimal("12.5")),
        (None, None),
        ("abc", None),
    ],
)
def test_parse_amount(raw, expected):
    assert parse_amount(raw) == expected


class TestAgainstSandbox:
    def test_initialize_then_verify(self, chapa):
        api = client(chapa.api_url)
        url = api.initialize(payload())
        assert url == f"{chapa.base_url}/checkout/shop-test-1"
        assert api.verify("shop-test-1").state == "pending"  # Chapa's 404 "not paid yet"
        chapa.complete("shop-test-1", "success")
        result = api.verify("shop-test-1")
        assert (result.state, result.tx_ref, result.amount, result.currency) == (
            "success",
            "shop-test-1",
            Decimal("1311.00"),
            "ETB",
        )
        assert result.reference.startswith("APsbx")

    def test_reused_tx_ref_is_refused(self, chapa):
        api = client(chapa.api_url)
        api.initialize(payload())
        with pytest.raises(ChapaError, match="used before"):
            api.initialize(payload())

    def test_field_errors_are_reported(self, chapa):
        with pytest.raises(ChapaError, match="phone_number"):
            client(chapa.api_url).initialize(payload(phone_number="+251911234567"))

    def test_5xx_is_retried_a_bounded_number_of_times(self, chapa):
        chapa.config(initialize_mode="error500")
        with pytest.raises(ChapaError) as exc:
            client(chapa.api_url, max_retries=2).initialize(payload())
        assert exc.value.status_code == 500
        assert chapa.state()["initialize_calls"] == 3

    def test_read_timeout_is_not_retried_and_fails_fast(self, chapa):
        chapa.config(initialize_mode="timeout", timeout_seconds=3)
        started = time.monotonic()
        with pytest.raises(ChapaError, match="in time"):
            client(chapa.api_url, read_timeout=0.5).initialize(payload())
        assert time.monotonic() - started < 2
        assert chapa.state()["initialize_calls"] == 1

    def test_unreachable_gateway(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]  # closed again at once: nothing listens there
        with pytest.raises(ChapaError, match="could not be reached"):
            client(f"http://127.0.0.1:{port}/v1").verify("x")

    def test_bad_key_is_refused(self, chapa):
        api = ChapaClient(base_url=chapa.api_url, secret_key="nope", connect_timeout=1, read_timeout=1, max_retries=0)
        with pytest.raises(ChapaError) as exc:
            api.initialize(payload())
        assert exc.value.status_code == 401

    def test_secret_never_logged_or_shown(self, chapa, caplog):
        chapa.config(initialize_mode="error500")
        api = client(chapa.api_url)
        with caplog.at_level(logging.DEBUG), pytest.raises(ChapaError) as exc:
            api.initialize(payload())
        assert caplog.records, "failures are logged"
        assert SECRET not in caplog.text
        assert SECRET not in str(exc.value) and SECRET not in repr(api)

    def test_settings_build_the_client(self, chapa, settings):
        api = get_client()
        assert api.base_url == chapa.api_url
        assert api.timeout == (settings.CHAPA_CONNECT_TIMEOUT, settings.CHAPA_READ_TIMEOUT)
