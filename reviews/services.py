from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from ecommerce.common.cache import catalog_changed
from ecommerce.common.services import model_update
from products.lock_objects import product_lock_many
from products.models import Product
from reviews.exceptions import AlreadyReviewed, ReviewNotAllowed, ReviewNotAuthor
from reviews.models import Review
from reviews.selectors import user_has_bought

NOT_PURCHASED = _("Only customers who bought this product in a paid order can review it.")
ALREADY_REVIEWED = _("You have already reviewed this product; edit your review instead.")
NOT_AUTHOR = _("Only the author can change this review.")


def product_rating_refresh(*, product_id: int) -> None:
    """Recount the product's rating from its visible reviews.

    Callers hold the product's row lock, taken before the review row changed, so two reviews
    landing at once are counted one after the other and neither is lost.
    """
    stats = Review.objects.filter(product_id=product_id, is_visible=True).aggregate(avg=Avg("rating"), n=Count("pk"))
    average = Decimal(str(stats["avg"] or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    Product.objects.filter(pk=product_id).update(rating_avg=average, review_count=stats["n"])
    # A queryset update sends no signal: the cached catalog must learn of the rating here.
    catalog_changed()


@transaction.atomic
def review_create(*, user, product: Product, rating: int, comment: str = "") -> Review:
    if not user_has_bought(user=user, product_id=product.pk):
        raise ReviewNotAllowed(NOT_PURCHASED)
    product_lock_many(ids=[product.pk])
    if Review.objects.filter(product=product, user=user).exists():
        raise AlreadyReviewed(ALREADY_REVIEWED)
    review = Review(product=product, user=user, rating=rating, comment=comment, verified_purchase=True)
    review.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:  # the unique constraint decided a race between two tabs
        raise AlreadyReviewed(ALREADY_REVIEWED) from exc
    product_rating_refresh(product_id=product.pk)
    return review


def _check_author(review: Review, user) -> None:
    if review.user_id != user.pk:
        raise ReviewNotAuthor(NOT_AUTHOR)


@transaction.atomic
def review_update(*, review: Review, user, data: dict) -> Review:
    _check_author(review, user)
    product_lock_many(ids=[review.product_id])
    review, changed = model_update(instance=review, fields=["rating", "comment"], data=data)
    if changed:
        product_rating_refresh(product_id=review.product_id)
    return review


@transaction.atomic
def review_delete(*, review: Review, user) -> None:
    _check_author(review, user)
    product_lock_many(ids=[review.product_id])
    review.delete()
    product_rating_refresh(product_id=review.product_id)


@transaction.atomic
def review_set_visibility(*, review_id: int, visible: bool) -> Review:
    """Moderation (staff): hide a review from the shop, or show it again."""
    review = Review.objects.get(pk=review_id)
    product_lock_many(ids=[review.product_id])
    review.is_visible = visible
    review.save(update_fields=["is_visible", "updated_at"])
    product_rating_refresh(product_id=review.product_id)
    return review
