from enum import StrEnum


class ReviewErrorCode(StrEnum):
    """Every code the reviews app answers with; each means one HTTP status everywhere."""

    NOT_PURCHASED = "not_purchased"  # 403
    NOT_AUTHOR = "not_author"  # 403
    ALREADY_REVIEWED = "already_reviewed"  # 400
