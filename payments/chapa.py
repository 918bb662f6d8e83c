"""A small client for Chapa's HTTP API (see docs/chapa.md): initialize, verify, refund.

Our own code on `requests` rather than a PyPI wrapper: timeouts on every call, a bounded
number of retries on connection errors and 5xx answers, amounts compared as Decimal, and the
secret key never written to a log or an exception message.
"""

import logging
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import requests
from django.conf import settings
from django.utils.translation import gettext, gettext_noop

logger = logging.getLogger(__name__)


class ChapaError(Exception):
    """Chapa could not be reached, timed out, or refused the request."""

    def __init__(self, message: str, *, status_code: int | None = None, **params):
        # In English, as the logs and the payment's failure_reason keep it; text() is what a
        # person reads, in the active language (`message` is marked with gettext_noop).
        super().__init__(message.format(**params))
        self.status_code = status_code
        self.template, self.params = message, params

    def text(self) -> str:
        return gettext(self.template).format(**self.params)


@dataclass(frozen=True)
class VerifyResult:
    """What Chapa's verify API says about one transaction."""

    state: str  # "success", "failed" or "pending"
    tx_ref: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    reference: str = ""
    data: dict | None = None

    @property
    def is_success(self) -> bool:
        return self.state == "success"


def parse_amount(value) -> Decimal | None:
    """Chapa sends amounts as numbers or strings, once seen with a thousands comma ("1,311.00")."""
    if value is None:
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


class ChapaClient:
    def __init__(
        self,
        *,
        base_url: str,
        secret_key: str,
        connect_timeout: float,
        read_timeout: float,
        max_retries: int,
        backoff: float = 0.2,
    ):
        self.base_url = base_url.rstrip("/")
        self._secret_key = secret_key
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.session = requests.Session()

    def __repr__(self) -> str:
        return f"ChapaClient(base_url={self.base_url!r})"  # never the key

    def _request(self, method: str, path: str, *, retry: bool = True, **kwargs) -> requests.Response:
        """Send with retries on connection errors and 5xx, unless `retry` is off (a request that
        must reach Chapa at most once). A read timeout is not retried: the request may have been
        processed, and waiting again would double the customer's wait."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {self._secret_key}", "Accept": "application/json"}
        attempts = self.max_retries + 1 if retry else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.session.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
            except requests.ConnectionError as exc:  # refused, reset, DNS, connect timeout
                if last:
                    logger.warning("chapa %s %s failed: %s", method, path, exc.__class__.__name__)
                    raise ChapaError(gettext_noop("The payment gateway could not be reached.")) from None
            except requests.Timeout:
                logger.warning("chapa %s %s timed out", method, path)
                raise ChapaError(gettext_noop("The payment gateway did not answer in time.")) from None
            else:
                if response.status_code < 500 or last:
                    return response
                logger.warning("chapa %s %s answered %s", method, path, response.status_code)
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _json(response: requests.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = None
        return body if isinstance(body, dict) else {}

    @staticmethod
    def _message(body: dict) -> str:
        message = body.get("message")
        if isinstance(message, dict):  # field errors: {"phone_number": ["..."]}
            return "; ".join(f"{k}: {v}" for k, v in message.items())
        return str(message or "no message")

    def initialize(self, payload: dict) -> str:
        """Open a hosted checkout; returns its URL."""
        response = self._request("POST", "transaction/initialize", json=payload)
        body = self._json(response)
        checkout_url = (body.get("data") or {}).get("checkout_url") if isinstance(body.get("data"), dict) else None
        if response.status_code != 200 or body.get("status") != "success" or not checkout_url:
            logger.warning("chapa initialize refused tx_ref=%s status=%s", payload.get("tx_ref"), response.status_code)
            raise ChapaError(
                gettext_noop("The payment gateway refused the payment: {detail}"),
                detail=self._message(body),
                status_code=response.status_code,
            )
        return checkout_url

    def verify(self, tx_ref: str) -> VerifyResult:
        response = self._request("GET", f"transaction/verify/{tx_ref}")
        body = self._json(response)
        if response.status_code == 404:
            # Chapa answers 404 "Payment not paid yet" for a transaction still waiting.
            return VerifyResult(state="pending", tx_ref=tx_ref)
        if response.status_code != 200 or not isinstance(body.get("data"), dict):
            raise ChapaError(
                gettext_noop("The payment gateway could not verify the payment: {detail}"),
                detail=self._message(body),
                status_code=response.status_code,
            )
        data = body["data"]
        state = str(data.get("status", "")).lower()
        if body.get("status") != "success" and state == "success":
            state = "pending"  # both must say success
        if state not in {"success", "failed", "pending"}:
            state = "failed" if state in {"cancelled", "canceled", "reversed"} else "pending"
        return VerifyResult(
            state=state,
            tx_ref=data.get("tx_ref"),
            amount=parse_amount(data.get("amount")),
            currency=data.get("currency"),
            reference=str(data.get("reference") or ""),
            data={
                k: data.get(k)
                for k in (
                    "status",
                    "amount",
                    "currency",
                    "tx_ref",
                    "reference",
                    "charge",
                    "mode",
                    "method",
                    "type",
                    "created_at",
                    "updated_at",
                )
            },
        )

    def refund(self, reference: str, *, reason: str, amount: Decimal | None = None) -> dict:
        payload = {"reason": reason}
        if amount is not None:
            payload["amount"] = str(amount)
        # Never retried: a refund that Chapa made but whose answer was lost would be made twice.
        response = self._request("POST", f"refund/{reference}", retry=False, json=payload)
        body = self._json(response)
        if response.status_code != 200 or body.get("status") != "success":
            raise ChapaError(
                gettext_noop("The payment gateway refused the refund: {detail}"),
                detail=self._message(body),
                status_code=response.status_code,
            )
        return body


def get_client() -> ChapaClient:
    return ChapaClient(
        base_url=settings.CHAPA_BASE_URL,
        secret_key=settings.CHAPA_SECRET_KEY,
        connect_timeout=settings.CHAPA_CONNECT_TIMEOUT,
        read_timeout=settings.CHAPA_READ_TIMEOUT,
        max_retries=settings.CHAPA_MAX_RETRIES,
    )
