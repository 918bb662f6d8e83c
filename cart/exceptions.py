from cart.error_codes import CartErrorCode
from ecommerce.common.exceptions import ApplicationError


class CartTooLarge(ApplicationError):
    """The cart would come to more than an order may. The cart is not changed."""

    default_code = CartErrorCode.CART_TOO_LARGE


class VariantRequired(ApplicationError):
    """The product is sold in several variants: the customer must say which."""

    default_code = CartErrorCode.VARIANT_REQUIRED


class CartNotFound(ApplicationError):
    """No guest cart has this token: it never existed, was mistyped, has expired or was merged."""

    status_code = 404
    default_code = CartErrorCode.CART_NOT_FOUND
