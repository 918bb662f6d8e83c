from django.db.models import Q, QuerySet

from ecommerce.common.permissions import staff_can_view
from orders.models import OrderItem, PaymentStatus
from reviews.models import Review


def _visible_to(user) -> QuerySet[Review]:
    qs = Review.objects.select_related("user")
    if staff_can_view(user, Review):
        return qs
    if user.is_authenticated:
        return qs.filter(Q(is_visible=True) | Q(user=user))
    return qs.filter(is_visible=True)


def review_list(*, user, product: int | None = None, rating: int | None = None) -> QuerySet[Review]:
    qs = _visible_to(user)
    if product is not None:
        qs = qs.filter(product_id=product)
    if rating is not None:
        qs = qs.filter(rating=rating)
    return qs.order_by("-created_at", "-pk")


def review_get(*, user, pk: int) -> Review:
    return _visible_to(user).get(pk=pk)


def user_has_bought(*, user, product_id: int) -> bool:
    """Whether the user has a paid order containing the product."""
    return OrderItem.objects.filter(
        order__user=user, order__payment_status=PaymentStatus.PAID, product_id=product_id
    ).exists()
