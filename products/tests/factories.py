from decimal import Decimal

import factory
from django.db.models import Sum

from categories.tests.factories import CategoryFactory
from products.models import Product, StockMovement, StockReason, Variant
from products.services import product_create, stock_adjust, variant_create


class ProductFactory(factory.django.DjangoModelFactory):
    """A product made by the catalog service: a simple product is one default variant holding
    `stock`, with the ledger's first row."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = factory.Faker("sentence")
    price = Decimal("100.00")
    category = factory.SubFactory(CategoryFactory)
    stock = 10
    is_active = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return product_create(**kwargs)


def default_variant(product: Product) -> Variant:
    return Variant.objects.get(product=product, options_key="")


def set_stock(product_or_variant, stock: int) -> None:
    """Bring a variant (a simple product's default one) to `stock` as staff would: a counted
    adjustment in the ledger, so that the books still add up."""
    variant = product_or_variant if isinstance(product_or_variant, Variant) else default_variant(product_or_variant)
    variant.refresh_from_db(fields=["stock"])
    if stock != variant.stock:
        stock_adjust(variant_id=variant.pk, delta=stock - variant.stock, reason=StockReason.COUNT)


def product_with_sizes(*, sizes=("S", "M", "L"), stock: int = 5, price=Decimal("100.00"), **kwargs) -> Product:
    """A product sold in sizes, one variant per size with `stock` each (SKU <slug>-<size>)."""
    product = ProductFactory(stock=0, price=price, options=[{"name": "Size", "values": list(sizes)}], **kwargs)
    for size in sizes:
        variant_create(product=product, sku=f"{product.slug}-{size}".upper(), options={"Size": size}, stock=stock)
    product.refresh_from_db()
    return product


def shortage(product: Product, *, requested: int, available: int) -> dict:
    """The line an insufficient_stock answer gives for a simple product."""
    variant = default_variant(product)
    return {
        "variant_id": variant.pk,
        "sku": variant.sku,
        "product_id": product.pk,
        "title": product.title,
        "requested": requested,
        "available": available,
    }


def assert_the_books_balance() -> None:
    """The ledger invariant: for every variant, the sum of its movements (its initial stock
    included) is its stock, and every product's stock is the sum of its active variants'."""
    ledger = dict(
        StockMovement.objects.values("variant_id").annotate(total=Sum("delta")).values_list("variant_id", "total")
    )
    for variant_id, stock in Variant.objects.values_list("pk", "stock"):
        assert ledger.get(variant_id) == stock, (
            f"variant {variant_id}: ledger {ledger.get(variant_id)} != stock {stock}"
        )
    for product in Product.objects.all():
        active = Variant.objects.filter(product=product, is_active=True).aggregate(total=Sum("stock"))["total"] or 0
        assert product.stock == active, f"product {product.pk}: stock {product.stock} != active variants {active}"


def gallery_queries() -> int:
    """The queries a product list page spends on its variants and images: one of JSON arrays on
    PostgreSQL, Django's two prefetches elsewhere (products.selectors.product_list)."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 2


def page_queries() -> int:
    """The queries a public product list page in page-number mode costs besides its count: on
    PostgreSQL one, which renders its entries (products.list_entries); elsewhere the page, its
    variants and images."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 1 + gallery_queries()
