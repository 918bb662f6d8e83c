"""What the built-in gateway sandboxes (Chapa's, the SMS gateway's) share: a request handler
that speaks JSON and is routed by method and path pattern, and a server run until interrupted.
Standard library only: the sandboxes load nothing of Django."""

import json
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SandboxHandler(BaseHTTPRequestHandler):
    log_prefix = "sandbox"
    # [(method, path pattern, handler)]: a handler gets the pattern's groups as arguments.
    routes: list = []
    not_found: dict = {"error": "not found"}
    ensure_ascii = True

    def log_message(self, format, *args):
        sys.stderr.write(f"{self.log_prefix}: " + (format % args) + "\n")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=self.ensure_ascii).encode(), "application/json")

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _json_body(self) -> dict:
        try:
            body = json.loads(self._body() or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def _route(self, method: str) -> None:
        path = urllib.parse.urlsplit(self.path).path
        for route_method, pattern, handler in self.routes:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                handler(self, *match.groups())
                return
        self._json(404, self.not_found)

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")


def serve_until_interrupted(server: ThreadingHTTPServer, announce: str) -> None:
    server.daemon_threads = True
    # Tests read this line to learn the port when started with --port 0.
    print(announce, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
