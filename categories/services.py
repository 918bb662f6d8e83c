from django.db import transaction

from categories.models import Category
from ecommerce.common.services import model_update, unique_race_as_validation_error
from ecommerce.common.slugs import unique_slug
from ecommerce.common.translations import translations_merge

TRANSLATED_FIELDS = ["name", "description"]


@transaction.atomic
def category_create(*, name: str, slug: str = "", description: str = "", translations: dict | None = None) -> Category:
    category = Category(name=name, description=description)
    category.translations = translations_merge({}, translations or {}, plain={"name": name, "description": description})
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
    if "translations" in data:
        plain = {field: data.get(field, getattr(category, field)) for field in TRANSLATED_FIELDS}
        data["translations"] = translations_merge(category.translations, data["translations"], plain=plain)
    with unique_race_as_validation_error(category):
        model_update(instance=category, fields=["name", "slug", "description", "translations"], data=data)
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    # Products are PROTECTed: a category that still holds products answers 409.
    category.delete()
