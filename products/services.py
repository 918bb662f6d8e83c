from decimal import Decimal

from django.db import transaction

from categories.models import Category
from ecommerce.common.services import model_update
from ecommerce.common.slugs import unique_slug
from products.models import Currency, Product

PRODUCT_FIELDS = ["title", "slug", "description", "price", "currency", "category", "stock", "is_active"]


@transaction.atomic
def product_create(
    *,
    title: str,
    price: Decimal,
    category: Category,
    stock: int = 0,
    description: str = "",
    currency: str = Currency.ETB,
    is_active: bool = True,
    slug: str = "",
) -> Product:
    product = Product(
        title=title,
        description=description,
        price=price,
        currency=currency,
        category=category,
        stock=stock,
        is_active=is_active,
    )
    product.slug = slug or unique_slug(model=Product, value=title, fallback="product")
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict) -> Product:
    data = dict(data)
    if "slug" in data and not data["slug"]:
        data["slug"] = unique_slug(
            model=Product, value=data.get("title", product.title), exclude_pk=product.pk, fallback="product"
        )
    product, _ = model_update(instance=product, fields=PRODUCT_FIELDS, data=data)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    product.delete()
