from ecommerce.common.exceptions import ApplicationError
from reviews.error_codes import ReviewErrorCode


class ReviewNotAllowed(ApplicationError):
    """Only a customer who bought the product in a paid order may review it."""

    status_code = 403
    default_code = ReviewErrorCode.NOT_PURCHASED


class ReviewNotAuthor(ApplicationError):
    status_code = 403
    default_code = ReviewErrorCode.NOT_AUTHOR


class AlreadyReviewed(ApplicationError):
    default_code = ReviewErrorCode.ALREADY_REVIEWED
