"""Demo catalog: a handful of real-looking categories and products, and on request a large
generated catalog for benchmarks."""

import random
from decimal import Decimal

from django.db import connection
from tqdm import tqdm

from categories.models import Category
from ecommerce.common.slugs import unique_slug
from products.models import Product

CATALOG = {
    ("Electronics", "Phones, laptops and accessories."): [
        ("Tecno Spark 20 smartphone", "6.6 inch display, 128 GB storage, dual SIM.", "14999.00", 25),
        ("Lenovo IdeaPad 3 laptop", "15.6 inch laptop, 8 GB RAM, 512 GB SSD.", "52999.00", 8),
        ("Oraimo power bank 20000 mAh", "Fast charging power bank for load shedding days.", "2499.00", 60),
        ("JBL Go 3 speaker", "Portable waterproof Bluetooth speaker.", "3899.00", 30),
    ],
    ("Coffee & Tea", "Ethiopian coffee from the regions that made it famous."): [
        (
            "Yirgacheffe coffee beans 1 kg",
            "Washed Yirgacheffe, floral and citrus notes, roasted in Addis.",
            "1450.00",
            120,
        ),
        ("Sidamo coffee beans 500 g", "Natural Sidamo with berry notes.", "780.00", 90),
        ("Jebena clay coffee pot", "Hand-made traditional jebena for the coffee ceremony.", "650.00", 40),
        ("Cini cups set of 6", "Porcelain cini cups for buna.", "420.00", 55),
    ],
    ("Books", "Fiction and non-fiction in Amharic and English."): [
        ("Fikir Eske Mekabir", "Haddis Alemayehu's classic novel.", "550.00", 35),
        ("Oromay", "Bealu Girma's novel.", "480.00", 20),
        ("Beneath the Lion's Gaze", "Maaza Mengiste's novel set in 1974 Addis Ababa.", "690.00", 15),
    ],
    ("Home & Kitchen", "Everything for the kitchen and the home."): [
        ("Mitad electric injera griddle", "50 cm electric mitad for injera.", "4200.00", 18),
        ("Mesob basket", "Hand-woven mesob from Harar.", "1800.00", 10),
        ("Berbere spice 1 kg", "Home-made berbere spice blend.", "520.00", 150),
    ],
    ("Fashion", "Traditional and modern clothing."): [
        ("Habesha kemis", "Hand-woven cotton dress with tibeb border.", "6500.00", 12),
        ("Netela shawl", "Light cotton netela.", "950.00", 40),
        ("Leather jacket", "Ethiopian sheep leather jacket.", "8900.00", 6),
    ],
}

_ADJECTIVES = ["Classic", "Premium", "Compact", "Organic", "Handmade", "Wireless", "Deluxe", "Eco", "Smart", "Vintage"]
_NOUNS = [
    "coffee",
    "laptop",
    "kettle",
    "scarf",
    "backpack",
    "phone",
    "lamp",
    "notebook",
    "sandals",
    "blender",
    "headphones",
    "basket",
    "teapot",
    "jacket",
    "charger",
]


def _category(name: str, description: str) -> Category:
    category = Category.objects.filter(name=name).first()
    if category is None:
        category = Category.objects.create(
            name=name, description=description, slug=unique_slug(model=Category, value=name, fallback="category")
        )
    return category


def seed(*, stdout, products: int = 0, **options) -> None:
    for (name, description), items in CATALOG.items():
        category = _category(name, description)
        for title, text, price, stock in items:
            _, created = Product.objects.get_or_create(
                title=title,
                defaults={
                    "slug": unique_slug(model=Product, value=title, fallback="product"),
                    "description": text,
                    "price": Decimal(price),
                    "category": category,
                    "stock": stock,
                },
            )
            if created:
                stdout.write(f"  product {title} created")
    if products:
        _generate_catalog(products, stdout=stdout)


def _generate_catalog(total: int, *, stdout, batch_size: int = 2000) -> None:
    """Top the generated part of the catalog up to `total` products (`catalog-000001`, ...)."""
    existing = Product.objects.filter(slug__startswith="catalog-").count()
    if existing >= total:
        stdout.write(f"  generated catalog already has {existing} products")
        return
    categories = [_category(f"Catalog {n:02d}", "Generated products for load tests.") for n in range(1, 21)]
    rng = random.Random(existing)
    with tqdm(total=total - existing, desc="products", unit="product") as progress:
        for start in range(existing + 1, total + 1, batch_size):
            batch = range(start, min(start + batch_size, total + 1))
            Product.objects.bulk_create(
                [
                    Product(
                        title=f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {n}",
                        slug=f"catalog-{n:06d}",
                        description=f"Generated item number {n} of the load-test catalog.",
                        price=Decimal(rng.randint(50, 90000)) + Decimal("0.99"),
                        category=categories[n % len(categories)],
                        stock=rng.randint(0, 500),
                    )
                    for n in batch
                ]
            )
            progress.update(len(batch))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE products_product")  # fresh statistics, or the planner guesses
