from enum import StrEnum


class CartErrorCode(StrEnum):
    """Every code the cart answers with; each means one HTTP status everywhere."""

    CART_TOO_LARGE = "cart_too_large"  # 400
    VARIANT_REQUIRED = "variant_required"  # 400
    # insufficient_stock (409) is the products app's, the same code and status as at checkout.
