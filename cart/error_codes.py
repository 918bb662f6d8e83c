from enum import StrEnum


class CartErrorCode(StrEnum):
    """Every code the cart answers with; each means one HTTP status everywhere."""

    CART_TOO_LARGE = "cart_too_large"  # 400
    VARIANT_REQUIRED = "variant_required"  # 400
    CART_NOT_FOUND = "cart_not_found"  # 404
    # insufficient_stock (409) is the products app's, the same code and status as at checkout.


class MergeAdjustmentReason(StrEnum):
    """Why merging a guest cart kept less of a line than the two carts held together."""

    INSUFFICIENT_STOCK = "insufficient_stock"  # capped at the stock there is
    UNAVAILABLE = "unavailable"  # the variant is no longer sold: dropped
    CART_TOO_LARGE = "cart_too_large"  # capped at the largest order the shop accepts
