from django.db.models import QuerySet

from categories.models import Category


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("name", "pk")


def category_get(*, pk: int) -> Category:
    return category_list().get(pk=pk)
