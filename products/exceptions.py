from ecommerce.common.exceptions import ApplicationError, ConflictError
from products.error_codes import ProductErrorCode


class InsufficientStock(ConflictError):
    """One or more lines cannot be served; `lines` lists every short one. Nothing was changed."""

    default_code = ProductErrorCode.INSUFFICIENT_STOCK


class StockReadOnly(ApplicationError):
    """Stock changes by adjustments (a delta and a reason), never by writing a value read earlier."""

    default_code = ProductErrorCode.STOCK_READ_ONLY


class ImageInvalid(ApplicationError):
    """The upload is not a JPEG, PNG or WebP picture within the limits; nothing was stored."""

    default_code = ProductErrorCode.IMAGE_INVALID


class TooManyImages(ApplicationError):
    default_code = ProductErrorCode.TOO_MANY_IMAGES
