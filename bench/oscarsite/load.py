"""Load the shop's generated catalog (a JSON file bench/peers.py exports from the shop's
database) into the oscar shop: the same categories, and each product as a standalone oscar
product with the shop's id, title, description and creation time, one stock record with its
price and stock. Then the country, partner and buyer accounts a checkout needs.

    DJANGO_SETTINGS_MODULE=bench.oscarsite.settings python -m bench.oscarsite.load catalog.json
"""

import json
import sys
from datetime import datetime

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
BATCH = 2000


def load(catalog: dict) -> dict:
    Country.objects.get_or_create(
        iso_3166_1_a2="ET",
        defaults={
            "iso_3166_1_a3": "ETH",
            "iso_3166_1_numeric": "231",
            "printable_name": "Ethiopia",
            "name": "Federal Democratic Republic of Ethiopia",
            "is_shipping_country": True,
        },
    )
    partner, _ = Partner.objects.get_or_create(name="Bench partner")
    product_class, _ = ProductClass.objects.get_or_create(name="Generated", track_stock=True)
    categories = {}
    for row in catalog["categories"]:
        categories[row["id"]] = Category.add_root(name=row["name"], slug=row["slug"], description=row["description"]).pk
    # The shop's creation times, so that both lists come in the same order.
    Product._meta.get_field("date_created").auto_now_add = False
    products = catalog["products"]
    for start in range(0, len(products), BATCH):
        batch = products[start : start + BATCH]
        Product.objects.bulk_create(
            Product(
                id=p["id"],
                structure=Product.STANDALONE,
                upc=p["sku"],
                title=p["title"],
                description=p["description"],
                product_class=product_class,
                date_created=datetime.fromisoformat(p["created_at"]),
            )
            for p in batch
        )
        ProductCategory.objects.bulk_create(
            ProductCategory(product_id=p["id"], category_id=categories[p["category_id"]]) for p in batch
        )
        StockRecord.objects.bulk_create(
            StockRecord(
                product_id=p["id"],
                partner=partner,
                partner_sku=p["sku"],
                price_currency="ETB",
                price=p["price"],
                num_in_stock=p["stock"],
                num_allocated=0,
            )
            for p in batch
        )
    password = make_password(catalog["password"])
    get_user_model().objects.bulk_create(
        get_user_model()(username=name, email=f"{name}@bench.test", password=password) for name in catalog["buyers"]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('catalogue_product_id_seq', (SELECT max(id) FROM catalogue_product))")
        for table in ("catalogue_product", "catalogue_productcategory", "partner_stockrecord"):
            cursor.execute(f"ANALYZE {table}")
    return categories


if __name__ == "__main__":
    with open(sys.argv[1]) as source:
        catalog = json.load(source)
    with transaction.atomic():
        mapping = load(catalog)
    print(json.dumps({"categories": mapping}))
