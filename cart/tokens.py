"""Guest cart tokens: what the guest holds, and what the shop keeps of it (a SHA-256, so a leaked
table opens no cart). The token has 256 random bits: its hash is looked up by an index, and no
comparison of the secret itself is ever timed."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def guest_carts_live_since(now: datetime | None = None) -> datetime:
    """A guest cart changed before this has expired (GUEST_CART_DAYS after its last change)."""
    return (now or timezone.now()) - timedelta(days=settings.GUEST_CART_DAYS)
