"""The Chapa sandbox server. Standard library only (and the sandboxes' shared plumbing), so it
runs beside any version of the shop."""

import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from http.server import ThreadingHTTPServer

from ecommerce.common.sandbox_http import SandboxHandler, serve_until_interrupted

TX_REF_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,50}$")
PHONE_RE = re.compile(r"^0[79]\d{8}$")
CUSTOMIZATION_RE = re.compile(r"^[A-Za-z0-9\-_. ]*$")
VERIFY_MODES = {"normal", "wrong_amount", "wrong_currency", "wrong_tx_ref", "timeout", "error500", "pending_200"}
INITIALIZE_MODES = {"normal", "error500", "error400", "timeout"}
# error500_after_refund: the money goes back, but the answer is lost as a 500 (a refund that
# must not be asked for twice).
# timeout_after_refund: the money goes back, but the answer comes too late for the shop.
REFUND_MODES = {"normal", "error500_after_refund", "timeout_after_refund"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def _chapa_amount(amount: Decimal) -> str:
    # Chapa has been seen answering "1,311.00": the shop must cope with the comma.
    return f"{amount:,.2f}"


@dataclass
class Transaction:
    tx_ref: str
    amount: str
    currency: str
    email: str
    first_name: str
    last_name: str
    phone_number: str
    callback_url: str
    return_url: str
    customization: dict
    reference: str = field(default_factory=lambda: "APsbx" + secrets.token_hex(5))
    status: str = "pending"
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)
    verify_mode: str = "normal"
    verify_calls: int = 0
    refunds: list = field(default_factory=list)
    refund_calls: int = 0
    # What went back so far: Chapa refunds part of a payment, up to all of it.
    refunded: str = "0.00"

    def chapa_data(self, *, mode: str) -> dict:
        amount = Decimal(self.amount)
        if mode == "wrong_amount":
            amount = amount - Decimal("1.00")
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "currency": "USD" if mode == "wrong_currency" else self.currency,
            "amount": _chapa_amount(amount),
            "charge": _chapa_amount((amount * Decimal("0.035")).quantize(Decimal("0.01"))),
            "mode": "test",
            "method": "test",
            "type": "API",
            "status": self.status,
            "reference": self.reference,
            "tx_ref": self.tx_ref + "-other" if mode == "wrong_tx_ref" else self.tx_ref,
            "customization": self.customization,
            "meta": None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


class Sandbox:
    def __init__(self, *, webhook_url: str, webhook_secret: str):
        self.lock = threading.Lock()
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.public_base = ""
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.transactions: dict[str, Transaction] = {}
            self.initialize_mode = "normal"
            self.refund_mode = "normal"
            self.initialize_calls = 0
            # Every refund request received, answered or not.
            self.refund_calls = 0
            # The reference of every refund request, known or not: a test can see a refund the
            # shop should never have asked for.
            self.refund_references: list[str] = []
            self.timeout_seconds = 30.0
            self.deliveries: list[dict] = []

    def webhook_body(self, tx: Transaction) -> bytes:
        event = {"success": "charge.success", "failed": "charge.failed", "cancelled": "charge.cancelled"}.get(
            tx.status, "charge.pending"
        )
        data = tx.chapa_data(mode="normal")
        body = {
            "event": event,
            **{
                k: data[k]
                for k in (
                    "first_name",
                    "last_name",
                    "email",
                    "currency",
                    "amount",
                    "charge",
                    "status",
                    "reference",
                    "tx_ref",
                    "mode",
                    "type",
                    "customization",
                    "meta",
                    "created_at",
                    "updated_at",
                )
            },
        }
        body["mobile"] = tx.phone_number or None
        body["payment_method"] = "test"
        return json.dumps(body, separators=(",", ":")).encode()

    def send_webhook(self, tx: Transaction) -> int | None:
        if not self.webhook_url:
            return None
        body = self.webhook_body(tx)
        secret = self.webhook_secret.encode()
        headers = {
            "Content-Type": "application/json",
            "x-chapa-signature": hmac.new(secret, body, hashlib.sha256).hexdigest(),
            # Chapa also sends this one: an HMAC of the secret itself, the same on every request.
            "chapa-signature": hmac.new(secret, secret, hashlib.sha256).hexdigest(),
        }
        return self._deliver("webhook", self.webhook_url, data=body, headers=headers, method="POST")

    def send_callback(self, tx: Transaction) -> int | None:
        if not tx.callback_url:
            return None
        query = urllib.parse.urlencode({"trx_ref": tx.tx_ref, "ref_id": tx.reference, "status": tx.status})
        separator = "&" if "?" in tx.callback_url else "?"
        return self._deliver("callback", f"{tx.callback_url}{separator}{query}", method="GET")

    def _deliver(self, kind: str, url: str, **kwargs) -> int | None:
        request = urllib.request.Request(url, **kwargs)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = None
        with self.lock:
            self.deliveries.append({"kind": kind, "url": url, "status": status})
        return status

    def complete(self, tx: Transaction, status: str, *, callback: bool, webhook: bool) -> dict:
        with self.lock:
            tx.status = status
            tx.updated_at = _now()
        return self.notify(tx, callback=callback, webhook=webhook)

    def notify(self, tx: Transaction, *, callback: bool, webhook: bool) -> dict:
        return {
            "callback_status": self.send_callback(tx) if callback else None,
            "webhook_status": self.send_webhook(tx) if webhook else None,
        }


class Handler(SandboxHandler):
    server_version = "ChapaSandbox/1.0"
    log_prefix = "sandbox"
    not_found = {"message": "Not found", "status": "failed", "data": None}
    sandbox: Sandbox  # set on the class by serve()

    def _chapa(self, status: int, message, data=None) -> None:
        self._json(status, {"message": message, "status": "success" if status == 200 else "failed", "data": data})

    def _authorized(self) -> bool:
        key = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if key.startswith(("CHASECK_TEST-", "CHASECK-")) and len(key) > 13:
            return True
        self._chapa(401, "Invalid API Key or User doesn't exist")
        return False

    # -- Chapa's API --------------------------------------------------------------------------
    def initialize(self):
        if not self._authorized():
            return
        body = self._json_body()
        sandbox = self.sandbox
        with sandbox.lock:
            sandbox.initialize_calls += 1
            mode = sandbox.initialize_mode
        if mode == "error500":
            return self._json(500, {"message": "Internal server error", "status": "failed", "data": None})
        if mode == "timeout":
            time.sleep(sandbox.timeout_seconds)
        if mode == "error400":
            return self._chapa(400, "Something went wrong on our side")
        errors = {}
        try:
            amount = Decimal(str(body.get("amount", "")))
            if amount <= 0:
                raise InvalidOperation
        except InvalidOperation:
            errors["amount"] = ["The amount must be a positive number."]
        if body.get("currency") not in {"ETB", "USD"}:
            errors["currency"] = ["The currency must be ETB or USD."]
        tx_ref = str(body.get("tx_ref", ""))
        if not TX_REF_RE.match(tx_ref):
            errors["tx_ref"] = ["The tx ref is invalid."]
        phone = str(body.get("phone_number") or "")
        if phone and not PHONE_RE.match(phone):
            errors["phone_number"] = ["The phone number must be 10 digits starting with 09 or 07."]
        title = str(body.get("customization[title]") or (body.get("customization") or {}).get("title") or "")
        description = str(
            body.get("customization[description]") or (body.get("customization") or {}).get("description") or ""
        )
        if len(title) > 16 or not CUSTOMIZATION_RE.match(title) or not CUSTOMIZATION_RE.match(description):
            errors["customization"] = ["Title: at most 16 letters, digits, - _ . or space."]
        if errors:
            return self._chapa(400, errors)
        with sandbox.lock:
            if tx_ref in sandbox.transactions:
                return self._chapa(400, "Transaction reference has been used before")
            sandbox.transactions[tx_ref] = Transaction(
                tx_ref=tx_ref,
                amount=str(amount),
                currency=body["currency"],
                email=str(body.get("email") or ""),
                first_name=str(body.get("first_name") or ""),
                last_name=str(body.get("last_name") or ""),
                phone_number=phone,
                callback_url=str(body.get("callback_url") or ""),
                return_url=str(body.get("return_url") or ""),
                customization={"title": title, "description": description},
            )
        self._chapa(200, "Hosted Link", {"checkout_url": f"{sandbox.public_base}/checkout/{tx_ref}"})

    def verify(self, tx_ref):
        if not self._authorized():
            return
        sandbox = self.sandbox
        with sandbox.lock:
            tx = sandbox.transactions.get(tx_ref)
            if tx is not None:
                tx.verify_calls += 1
        if tx is None:
            return self._chapa(404, "Invalid transaction or Transaction not found")
        if tx.verify_mode == "timeout":
            time.sleep(sandbox.timeout_seconds)
        if tx.verify_mode == "error500":
            return self._json(500, {"message": "Internal server error", "status": "failed", "data": None})
        if tx.status == "pending" and tx.verify_mode != "pending_200":
            return self._chapa(404, "Payment not paid yet")
        self._chapa(200, "Payment details", tx.chapa_data(mode=tx.verify_mode))

    def refund(self, reference):
        if not self._authorized():
            return
        body = self._json_body()
        sandbox = self.sandbox
        with sandbox.lock:
            sandbox.refund_calls += 1
            sandbox.refund_references.append(reference)
            tx = next((t for t in sandbox.transactions.values() if reference and t.reference == reference), None)
            if tx is not None:
                tx.refund_calls += 1
            if tx is None or tx.status != "success":
                return self._chapa(400, "Transaction not found or not refundable")
            left = Decimal(tx.amount) - Decimal(tx.refunded)
            try:
                amount = Decimal(str(body["amount"])) if body.get("amount") is not None else left
            except InvalidOperation:
                return self._chapa(400, {"amount": ["The amount must be a number."]})
            if not Decimal("0") < amount <= left:
                return self._chapa(400, f"The refund amount must be more than 0 and at most {left}")
            tx.refunds.append({"reason": body.get("reason", ""), "amount": body.get("amount") or tx.amount})
            tx.refunded = str(Decimal(tx.refunded) + amount)
            if amount == left:
                tx.status = "refunded"
            mode = sandbox.refund_mode
        if mode == "error500_after_refund":
            return self._json(500, {"message": "Internal server error", "status": "failed", "data": None})
        if mode == "timeout_after_refund":
            time.sleep(sandbox.timeout_seconds)
        self._chapa(200, "Refund initiated", {"reference": reference, "amount": str(amount)})

    # -- the hosted checkout page ---------------------------------------------------------------
    def checkout_page(self, tx_ref):
        tx = self.sandbox.transactions.get(tx_ref)
        if tx is None:
            return self._send(404, b"<h1>Unknown payment</h1>", "text/html; charset=utf-8")
        e = html.escape
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chapa sandbox checkout</title>
<style>body{{font-family:sans-serif;max-width:420px;margin:40px auto;color:#222}}
button{{font-size:16px;padding:10px 18px;margin-right:8px;border:0;border-radius:4px;cursor:pointer}}
.pay{{background:#7dc400;color:#fff}} .fail{{background:#c62828;color:#fff}}</style></head><body>
<h2>Chapa sandbox</h2><p>{e(tx.customization.get("title", ""))} – {e(tx.customization.get("description", ""))}</p>
<p><strong>{e(_chapa_amount(Decimal(tx.amount)))} {e(tx.currency)}</strong> · reference <code>{e(tx.tx_ref)}</code></p>
<p>Status: <strong id="status">{e(tx.status)}</strong></p>
<form method="post"><button class="pay" name="status" value="success">Pay</button>
<button class="fail" name="status" value="failed">Fail</button></form>
<p style="color:#777;font-size:13px">No money moves: this is the shop's built-in Chapa sandbox.</p></body></html>"""
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def checkout_submit(self, tx_ref):
        tx = self.sandbox.transactions.get(tx_ref)
        form = urllib.parse.parse_qs(self._body().decode())
        status = (form.get("status") or [""])[0]
        if tx is None or status not in {"success", "failed"}:
            return self._send(400, b"<h1>Bad request</h1>", "text/html; charset=utf-8")
        if tx.status == "pending":
            with self.sandbox.lock:
                tx.status = status
                tx.updated_at = _now()
            # Like Chapa: the customer is sent on at once; the callback and webhook follow.
            threading.Thread(target=self.sandbox.notify, args=(tx,), kwargs={"callback": True, "webhook": True}).start()
        self._send(303, b"", "text/plain", {"Location": tx.return_url or f"/checkout/{tx_ref}"})

    # -- control API for tests ------------------------------------------------------------------
    def control_health(self):
        self._json(200, {"status": "ok"})

    def control_reset(self):
        self.sandbox.reset()
        self._json(200, {"status": "reset"})

    def control_config(self):
        body = self._json_body()
        sandbox = self.sandbox
        if "initialize_mode" in body and body["initialize_mode"] not in INITIALIZE_MODES:
            return self._json(400, {"error": f"initialize_mode must be one of {sorted(INITIALIZE_MODES)}"})
        if "refund_mode" in body and body["refund_mode"] not in REFUND_MODES:
            return self._json(400, {"error": f"refund_mode must be one of {sorted(REFUND_MODES)}"})
        with sandbox.lock:
            for name in ("webhook_url", "webhook_secret", "initialize_mode", "refund_mode"):
                if name in body:
                    setattr(sandbox, name, str(body[name]))
            if "timeout_seconds" in body:
                sandbox.timeout_seconds = float(body["timeout_seconds"])
        self._json(200, self._state())

    def _state(self) -> dict:
        sandbox = self.sandbox
        return {
            "initialize_mode": sandbox.initialize_mode,
            "initialize_calls": sandbox.initialize_calls,
            "refund_mode": sandbox.refund_mode,
            "refund_calls": sandbox.refund_calls,
            "refund_references": list(sandbox.refund_references),
            "webhook_url": sandbox.webhook_url,
            "timeout_seconds": sandbox.timeout_seconds,
            "deliveries": list(sandbox.deliveries),
        }

    def control_state(self):
        self._json(200, self._state())

    def _transaction(self, tx_ref) -> Transaction | None:
        tx = self.sandbox.transactions.get(tx_ref)
        if tx is None:
            self._json(404, {"error": "unknown tx_ref"})
        return tx

    def control_transaction(self, tx_ref):
        if tx := self._transaction(tx_ref):
            self._json(200, asdict(tx))

    def control_verify_mode(self, tx_ref):
        mode = self._json_body().get("mode")
        if mode not in VERIFY_MODES:
            return self._json(400, {"error": f"mode must be one of {sorted(VERIFY_MODES)}"})
        if tx := self._transaction(tx_ref):
            tx.verify_mode = mode
            self._json(200, asdict(tx))

    def control_complete(self, tx_ref):
        body = self._json_body()
        status = body.get("status")
        if status not in {"success", "failed", "cancelled", "pending"}:
            return self._json(400, {"error": "status must be success, failed, cancelled or pending"})
        if tx := self._transaction(tx_ref):
            result = self.sandbox.complete(
                tx, status, callback=bool(body.get("callback", False)), webhook=bool(body.get("webhook", False))
            )
            self._json(200, result)

    def control_webhook(self, tx_ref):
        if tx := self._transaction(tx_ref):
            self._json(200, {"webhook_status": self.sandbox.send_webhook(tx)})


ROUTES = [
    ("POST", r"/v1/transaction/initialize", Handler.initialize),
    ("GET", r"/v1/transaction/verify/([^/]+)", Handler.verify),
    ("POST", r"/v1/refund/([^/]*)", Handler.refund),
    ("GET", r"/checkout/([^/]+)", Handler.checkout_page),
    ("POST", r"/checkout/([^/]+)", Handler.checkout_submit),
    ("GET", r"/_sandbox/health", Handler.control_health),
    ("POST", r"/_sandbox/reset", Handler.control_reset),
    ("GET", r"/_sandbox/state", Handler.control_state),
    ("POST", r"/_sandbox/config", Handler.control_config),
    ("GET", r"/_sandbox/transactions/([^/]+)", Handler.control_transaction),
    ("POST", r"/_sandbox/transactions/([^/]+)/verify_mode", Handler.control_verify_mode),
    ("POST", r"/_sandbox/transactions/([^/]+)/complete", Handler.control_complete),
    ("POST", r"/_sandbox/transactions/([^/]+)/webhook", Handler.control_webhook),
]

Handler.routes = ROUTES


def serve(*, host: str, port: int, webhook_url: str, webhook_secret: str) -> None:
    Handler.sandbox = Sandbox(webhook_url=webhook_url, webhook_secret=webhook_secret)
    server = ThreadingHTTPServer((host, port), Handler)
    Handler.sandbox.public_base = f"http://{host}:{server.server_address[1]}"
    serve_until_interrupted(server, f"Chapa sandbox listening on {Handler.sandbox.public_base}")
