from products.models import Product, Variant


def product_lock_many(*, ids) -> dict[int, Product]:
    """Lock the products' rows, always in primary-key order: two checkouts that share products
    then wait for each other instead of deadlocking."""
    products = Product.objects.filter(pk__in=sorted(set(ids))).order_by("pk").select_for_update(of=("self",))
    return {product.pk: product for product in products}


def variant_lock_many(*, ids) -> dict[int, Variant]:
    """Lock variants' rows in primary-key order (with their product read, not locked): every
    path that changes stock takes variant locks first, in this order, and product rows after."""
    variants = (
        Variant.objects.filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .select_related("product")
        .select_for_update(of=("self",))
    )
    return {variant.pk: variant for variant in variants}
