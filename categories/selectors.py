from django.db.models import Count, Q, QuerySet

from categories.models import Category


def category_list() -> QuerySet[Category]:
    # product_count counts what a customer can buy: active products only.
    return Category.objects.annotate(product_count=Count("products", filter=Q(products__is_active=True))).order_by(
        "name", "pk"
    )


def category_get(*, pk: int) -> Category:
    return category_list().get(pk=pk)
