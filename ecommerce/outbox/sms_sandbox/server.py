"""The SMS gateway sandbox's server. Standard library only, so it runs beside any version of the shop."""

import html
import re
import secrets
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

from ecommerce.common.sandbox_http import SandboxHandler, serve_until_interrupted

# What AfroMessage takes in `to`: 09…/07… or 2519…/2517… (with or without "+").
PHONE_RE = re.compile(r"^(?:\+?251|0)[79]\d{8}$")
# How the next sends fail: refused (HTTP 200, "acknowledge": "error"), an HTTP 500, an answer
# that comes too late (kept from nobody: the SMS is not sent), the connection dropped unanswered.
FAILURES = {"error", "http500", "timeout", "down"}


class Gateway:
    def __init__(self, *, token: str):
        self.lock = threading.Lock()
        self.token = token
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.messages: list[dict] = []
            self.send_calls = 0
            self.unauthorized_calls = 0
            self.failed_calls = 0
            self.fail_next = 0
            self.failure = "error"
            self.timeout_seconds = 30.0

    def state(self) -> dict:
        with self.lock:
            return {
                "messages": list(self.messages),
                "send_calls": self.send_calls,
                "unauthorized_calls": self.unauthorized_calls,
                "failed_calls": self.failed_calls,
                "fail_next": self.fail_next,
                "failure": self.failure,
                "timeout_seconds": self.timeout_seconds,
            }

    def next_failure(self) -> str | None:
        """Counts a send and says how it fails, if it is one of the next `fail_next`."""
        with self.lock:
            self.send_calls += 1
            if self.fail_next <= 0:
                return None
            self.fail_next -= 1
            self.failed_calls += 1
            return self.failure


class Handler(SandboxHandler):
    server_version = "SmsSandbox/1.0"
    log_prefix = "sms sandbox"
    ensure_ascii = False
    gateway: Gateway  # set on the class by serve()

    def _error(self, status: int, *errors: str) -> None:
        self._json(status, {"acknowledge": "error", "response": {"errors": list(errors)}})

    # -- AfroMessage's API --------------------------------------------------------------------
    def send_post(self):
        self._accept(self._json_body())

    def send_get(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self._accept({name: values[0] for name, values in query.items()})

    def _accept(self, fields: dict) -> None:
        gateway = self.gateway
        given = self.headers.get("Authorization", "")
        if not secrets.compare_digest(given.encode(), f"Bearer {gateway.token}".encode()):
            with gateway.lock:
                gateway.unauthorized_calls += 1
            return self._error(401, "Unauthorized: invalid or missing token")
        failure = gateway.next_failure()
        if failure == "down":
            # A gateway that went away mid-request: no answer at all.
            self.close_connection = True
            self.connection.close()
            return
        if failure == "timeout":
            time.sleep(gateway.timeout_seconds)
            return self._error(504, "Gateway timeout")
        if failure == "http500":
            return self._error(500, "Internal server error")
        if failure == "error":
            return self._error(200, "The service is temporarily unavailable, try again later")
        to, message = str(fields.get("to") or ""), str(fields.get("message") or "")
        errors = []
        if not PHONE_RE.match(to):
            errors.append("Invalid phone number")
        if not message:
            errors.append("Message is required")
        if errors:
            return self._error(200, *errors)
        record = {
            "message_id": secrets.token_hex(12),
            "from": str(fields.get("from") or ""),
            "sender": str(fields.get("sender") or ""),
            "to": to,
            "message": message,
            "callback": str(fields.get("callback") or ""),
            "received_at": datetime.now(UTC).isoformat(),
        }
        with gateway.lock:
            gateway.messages.append(record)
        self._json(
            200,
            {
                "acknowledge": "success",
                "response": {"status": "Send", "message_id": record["message_id"], "message": message, "to": to},
            },
        )

    # -- what a person reads --------------------------------------------------------------------
    def inbox_page(self):
        rows = "".join(
            f"<tr><td>{html.escape(m['received_at'][:19])}</td><td>{html.escape(m['to'])}</td>"
            f"<td><pre>{html.escape(m['message'])}</pre></td></tr>"
            for m in reversed(self.gateway.state()["messages"][-50:])
        )
        page = f"""<!doctype html><html><head><meta charset="utf-8"><title>SMS sandbox</title>
<meta http-equiv="refresh" content="5"><style>body{{font-family:sans-serif;margin:30px;color:#222}}
td{{border-bottom:1px solid #ddd;padding:6px 10px;vertical-align:top}} pre{{margin:0;white-space:pre-wrap}}</style>
</head><body><h2>SMS sandbox</h2><p>The latest SMS the shop sent (no SMS leaves this machine).</p>
<table><tr><th>received (UTC)</th><th>to</th><th>message</th></tr>{rows}</table></body></html>"""
        self._send(200, page.encode(), "text/html; charset=utf-8")

    # -- control API for tests ------------------------------------------------------------------
    def control_health(self):
        self._json(200, {"status": "ok"})

    def control_reset(self):
        self.gateway.reset()
        self._json(200, {"status": "reset"})

    def control_state(self):
        self._json(200, self.gateway.state())

    def control_config(self):
        body = self._json_body()
        gateway = self.gateway
        if "failure" in body and body["failure"] not in FAILURES:
            return self._json(400, {"error": f"failure must be one of {sorted(FAILURES)}"})
        try:
            fail_next = int(body.get("fail_next", gateway.fail_next))
            timeout_seconds = float(body.get("timeout_seconds", gateway.timeout_seconds))
        except (TypeError, ValueError):
            return self._json(400, {"error": "fail_next is a whole number, timeout_seconds a number"})
        with gateway.lock:
            gateway.fail_next, gateway.timeout_seconds = fail_next, timeout_seconds
            gateway.failure = body.get("failure", gateway.failure)
            if "token" in body:
                gateway.token = str(body["token"])
        self._json(200, gateway.state())


ROUTES = [
    ("POST", "/api/send", Handler.send_post),
    ("GET", "/api/send", Handler.send_get),
    ("GET", "/", Handler.inbox_page),
    ("GET", "/_sandbox/health", Handler.control_health),
    ("POST", "/_sandbox/reset", Handler.control_reset),
    ("GET", "/_sandbox/state", Handler.control_state),
    ("POST", "/_sandbox/config", Handler.control_config),
]

Handler.routes = ROUTES


def serve(*, host: str, port: int, token: str) -> None:
    Handler.gateway = Gateway(token=token)
    server = ThreadingHTTPServer((host, port), Handler)
    serve_until_interrupted(server, f"SMS sandbox listening on http://{host}:{server.server_address[1]}")
