"""Files attached to outbox e-mails, made when the e-mail is sent rather than stored with it.

A queued e-mail names each attachment by a kind and a reference (`{"kind": "receipt", "ref":
"<order id>"}`); the app that owns the kind registers the function that renders it, in its
AppConfig.ready(). The outbox so stays free of any app, and a row holds no file bytes.
"""

from collections.abc import Callable
from typing import NamedTuple


class Attachment(NamedTuple):
    filename: str
    content: bytes
    mimetype: str


_RENDERERS: dict[str, Callable[[str], Attachment]] = {}


def attachment_kind_register(kind: str, render: Callable[[str], Attachment]) -> None:
    _RENDERERS[kind] = render


def attachment_render(spec: dict) -> Attachment:
    return _RENDERERS[spec["kind"]](spec["ref"])


def attachment_spec(kind: str, ref) -> dict:
    """The stored form of an attachment; refuses a kind nobody renders, at enqueue time."""
    if kind not in _RENDERERS:
        raise ValueError(f"no renderer is registered for e-mail attachments of kind {kind!r}")
    return {"kind": kind, "ref": str(ref)}
