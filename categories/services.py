from django.db import transaction

from categories.models import Category
from ecommerce.common.services import model_update, unique_race_as_validation_error
from ecommerce.common.slugs import unique_slug


@transaction.atomic
def category_create(*, name: str, slug: str = "", description: str = "") -> Category:
    category = Category(name=name, description=description)
    category.slug = slug or unique_slug(model=Category, value=name, fallback="category")
    category.full_clean()
    with unique_race_as_validation_error(category):
        category.save()
    return category


@transaction.atomic
def category_update(*, category: Category, data: dict) -> Category:
    data = dict(data)
    if "slug" in data and not data["slug"]:
        data["slug"] = unique_slug(
            model=Category, value=data.get("name", category.name), exclude_pk=category.pk, fallback="category"
        )
    with unique_race_as_validation_error(category):
        model_update(instance=category, fields=["name", "slug", "description"], data=data)
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    # Products are PROTECTed: a category that still holds products answers 409.
    category.delete()
