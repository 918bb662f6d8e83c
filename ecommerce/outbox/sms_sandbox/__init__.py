"""An SMS gateway sandbox: a real HTTP server that answers like AfroMessage, for tests and local use.

Run it with `python -m ecommerce.outbox.sms_sandbox` (it needs nothing but the standard
library). It serves `POST /api/send` (and its `GET` twin) with AfroMessage's JSON, checks the
bearer token, and keeps every SMS it accepted: `/_sandbox/state` lists them and `/` shows the
latest as a page, where the demo reads its sign-in codes. `/_sandbox/config` makes the next N
sends fail as a gateway does (refused, an HTTP 500, too slow, the connection dropped).
"""
