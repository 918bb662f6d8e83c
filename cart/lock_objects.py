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
