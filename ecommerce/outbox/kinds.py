"""The kinds of e-mail, each written when it is sent, in its recipient's language.

A queued e-mail names its kind (its templates' name, `orders/email/order_status`) and holds the
JSON values it was queued with: ids, and what the event was that a later read could not tell
(the stock a size fell to). When the e-mail is sent, the app that owns the kind turns those
values into its subject and its templates' context, reading the rows again, inside
`translation.override(<the recipient's language>)`: every word, status name and catalog title
is then in the recipient's language, whoever caused the e-mail. The app registers each kind in
its AppConfig.ready(), so the outbox stays free of any app.
"""

from collections.abc import Callable

# values -> (subject, the templates' context), called in the recipient's language
EmailKind = Callable[[dict], tuple[str, dict]]

_KINDS: dict[str, EmailKind] = {}


def email_kind_register(template: str, build: EmailKind) -> None:
    _KINDS[template] = build


def email_kind(template: str) -> EmailKind:
    """The kind's builder; refuses a kind nobody registered (so at enqueue time, not at sending)."""
    if template not in _KINDS:
        raise ValueError(f"no e-mail kind is registered for the templates {template!r}")
    return _KINDS[template]
