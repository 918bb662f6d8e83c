from enum import StrEnum


class ProductErrorCode(StrEnum):
    """Every code the products app answers with; each means one HTTP status everywhere."""

    INSUFFICIENT_STOCK = "insufficient_stock"  # 409
    STOCK_READ_ONLY = "stock_read_only"  # 400
    IMAGE_INVALID = "image_invalid"  # 400
    TOO_MANY_IMAGES = "too_many_images"  # 400
