from cart.models import Cart


def cart_lock(*, user) -> Cart:
    """The user's cart, created on first use and locked, so that changes to one cart from two
    requests (two tabs, a retried request) apply one after the other."""
    Cart.objects.get_or_create(user=user)
    return Cart.objects.select_for_update(of=("self",)).get(user=user)
