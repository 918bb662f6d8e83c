from datetime import datetime

from django.db.models import Q

from cart.models import Cart


def cart_lock(*, user) -> Cart:
    """The user's cart, created on first use and locked, so that changes to one cart from two
    requests (two tabs, a retried request) apply one after the other."""
    locked = Cart.objects.select_for_update(of=("self",))
    cart = locked.filter(user=user).first()
    if cart is None:  # first use: one round trip more, once per customer
        Cart.objects.get_or_create(user=user)
        cart = locked.get(user=user)
    return cart


def guest_cart_lock(*, token_hash: str, changed_since: datetime) -> Cart | None:
    """The guest cart of this token if it changed since `changed_since` (it has not expired),
    locked; None when there is none. A cart deleted (merged, swept) while this waited for its
    lock is not there any more: None as well."""
    return (
        Cart.objects.select_for_update(of=("self",))
        .filter(token_hash=token_hash, user__isnull=True, updated_at__gte=changed_since)
        .first()
    )


def carts_lock_for_merge(*, user, token_hash: str, changed_since: datetime) -> tuple[Cart, Cart | None]:
    """The user's cart (created on first use) and the guest cart of this token (None when there
    is none, or it expired), both locked in one statement in primary-key order, the order every
    lock of several carts takes: two merges, or a merge and a change to either cart, wait for one
    another instead of deadlocking."""
    Cart.objects.get_or_create(user=user)  # first use: a row to lock
    carts = list(
        Cart.objects.select_for_update(of=("self",))
        .filter(Q(user=user) | Q(token_hash=token_hash, user__isnull=True, updated_at__gte=changed_since))
        .order_by("pk")
    )
    user_cart = next(cart for cart in carts if cart.user_id == user.pk)
    guest = next((cart for cart in carts if cart.user_id is None), None)
    return user_cart, guest


def guest_carts_lock_expired(*, changed_before: datetime, limit: int) -> list[int]:
    """Up to `limit` ids of guest carts last changed before `changed_before`, locked in
    primary-key order. A cart being changed right now is skipped (its change makes it live
    again); one changed since the sweep read it is re-checked by PostgreSQL and left out."""
    return list(
        Cart.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(user__isnull=True, updated_at__lt=changed_before)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
