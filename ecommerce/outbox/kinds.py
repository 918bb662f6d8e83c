"""The kinds of message, each written when it is sent, in its recipient's language.

A queued message names its kind (an e-mail's templates' name, `orders/email/order_status`; an
SMS kind's name, `orders/sms/shipped`) and holds the JSON values it was queued with: ids, and
what the event was that a later read could not tell (the stock a size fell to). When the
message is sent, the app that owns the kind turns those values into its words, reading the rows
again, inside `translation.override(<the recipient's language>)`: every word, status name and
catalog title is then in the recipient's language, whoever caused the message. The app
registers each kind in its AppConfig.ready(), so the outbox stays free of any app.
"""

from collections.abc import Callable


class KindRegistry:
    """The builders of one channel's kinds, by name."""

    def __init__(self, channel: str):
        self.channel = channel
        self._builders: dict[str, Callable] = {}

    def register(self, name: str, build: Callable) -> None:
        self._builders[name] = build

    def get(self, name: str) -> Callable:
        """The kind's builder; refuses a kind nobody registered (so at enqueue time, not at sending)."""
        if name not in self._builders:
            raise ValueError(f"no {self.channel} kind is registered under {name!r}")
        return self._builders[name]


# values -> (subject, the templates' context), called in the recipient's language
EmailKind = Callable[[dict], tuple[str, dict]]
# values -> the SMS text, called in the recipient's language
SmsKind = Callable[[dict], str]

_EMAIL_KINDS = KindRegistry("e-mail")
_SMS_KINDS = KindRegistry("SMS")


def email_kind_register(template: str, build: EmailKind) -> None:
    _EMAIL_KINDS.register(template, build)


def email_kind(template: str) -> EmailKind:
    return _EMAIL_KINDS.get(template)


# Kinds whose values and text are secret (a one-time code): forgotten once the SMS is done with.
_SECRET_SMS_KINDS: set[str] = set()


def sms_kind_register(kind: str, build: SmsKind, *, secret: bool = False) -> None:
    _SMS_KINDS.register(kind, build)
    if secret:
        _SECRET_SMS_KINDS.add(kind)


def sms_kind_is_secret(kind: str) -> bool:
    return kind in _SECRET_SMS_KINDS


def sms_kind(kind: str) -> SmsKind:
    return _SMS_KINDS.get(kind)
