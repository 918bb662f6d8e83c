from products.models import Product


def product_lock_many(*, ids) -> dict[int, Product]:
    """Lock the products' rows, always in primary-key order: two checkouts that share products
    then wait for each other instead of deadlocking."""
    products = Product.objects.filter(pk__in=sorted(set(ids))).order_by("pk").select_for_update(of=("self",))
    return {product.pk: product for product in products}
