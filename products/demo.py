"""Demo catalog: a handful of real-looking categories and products, and on request a large
generated catalog for benchmarks."""

import hashlib
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont
from tqdm import tqdm

from categories.models import Category
from categories.services import category_create, category_update
from products.models import (
    Product,
    ProductImage,
    ProductOption,
    ProductOptionValue,
    StockMovement,
    StockReason,
    Variant,
    product_search_text,
)
from products.services import (
    category_product_counts_refresh,
    product_create,
    product_image_create,
    product_update,
    variant_create,
)

_SIZES = ["S", "M", "L", "XL", "XXL"]

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
        ("Netela shawl", "Light cotton netela.", "950.00", 40),
        ("Leather jacket", "Ethiopian sheep leather jacket.", "8900.00", 6),
    ],
}

# Products sold in variants: (category, title, description, base price, options, {combination: stock}),
# a combination's price is the base price unless it names its own.
VARIANT_PRODUCTS = [
    (
        "Fashion",
        "Habesha kemis",
        "Hand-woven cotton dress with tibeb border.",
        "6500.00",
        [("Size", ["S", "M", "L", "XL"])],
        {("S",): 3, ("M",): 5, ("L",): 4, ("XL",): (2, "6900.00")},
    ),
    (
        "Fashion",
        "Addis T-shirt",
        "Cotton T-shirt printed in Addis Ababa.",
        "450.00",
        [("Size", ["S", "M", "L"]), ("Colour", ["Red", "Black"])],
        {(size, colour): 10 for size in ("S", "M", "L") for colour in ("Red", "Black")},
    ),
    (
        "Fashion",
        "Leather shoes",
        "Ethiopian leather shoes, made in Mojo.",
        "3200.00",
        [("Size", ["38", "39", "40", "41", "42", "43", "44"])],
        {(size,): 4 for size in ("38", "39", "40", "41", "42", "43", "44")},
    ),
]

# The demo catalog in Amharic, by its English text: (title or name, description).
AMHARIC = {
    "Electronics": ("ኤሌክትሮኒክስ", "ስልኮች፣ ላፕቶፖችና ተጓዳኝ ዕቃዎች።"),
    "Coffee & Tea": ("ቡናና ሻይ", "ዝናቸውን ካተረፉት አካባቢዎች የመጣ የኢትዮጵያ ቡና።"),
    "Books": ("መጻሕፍት", "ልብ ወለድና ሌሎች መጻሕፍት በአማርኛና በእንግሊዝኛ።"),
    "Home & Kitchen": ("ቤትና ማድቤት", "ለማድቤትና ለቤት የሚያስፈልግ ሁሉ።"),
    "Fashion": ("ፋሽን", "ባህላዊና ዘመናዊ አልባሳት።"),
    "Tecno Spark 20 smartphone": ("ቴክኖ ስፓርክ 20 ስማርት ስልክ", "6.6 ኢንች ስክሪን፣ 128 ጊባ ማከማቻ፣ ሁለት ሲም።"),
    "Lenovo IdeaPad 3 laptop": ("ሌኖቮ አይዲያፓድ 3 ላፕቶፕ", "15.6 ኢንች ላፕቶፕ፣ 8 ጊባ ራም፣ 512 ጊባ ኤስኤስዲ።"),
    "Oraimo power bank 20000 mAh": ("ኦራይሞ ፓወር ባንክ 20000 mAh", "መብራት ለሚጠፋባቸው ቀናት በፍጥነት የሚሞላ ፓወር ባንክ።"),
    "JBL Go 3 speaker": ("ጄቢኤል ጎ 3 ስፒከር", "ተንቀሳቃሽ፣ ውሃ የማያስገባ የብሉቱዝ ስፒከር።"),
    "Yirgacheffe coffee beans 1 kg": (
        "የይርጋጨፌ ቡና 1 ኪሎ",
        "የታጠበ የይርጋጨፌ ቡና፣ የአበባና የሎሚ መዓዛ ያለው፣ አዲስ አበባ የተቆላ።",
    ),
    "Sidamo coffee beans 500 g": ("የሲዳሞ ቡና 500 ግራም", "የቤሪ ጣዕም ያለው በተፈጥሮ የደረቀ የሲዳሞ ቡና።"),
    "Jebena clay coffee pot": ("የሸክላ ጀበና", "ለቡና ሥነ ሥርዓት በእጅ የተሠራ ባህላዊ ጀበና።"),
    "Cini cups set of 6": ("ስኒ (6 ቁጥር)", "ለቡና የፖርሲሊን ስኒዎች።"),
    "Fikir Eske Mekabir": ("ፍቅር እስከ መቃብር", "የሀዲስ ዓለማየሁ ዝነኛ ልብ ወለድ።"),
    "Oromay": ("ኦሮማይ", "የበዓሉ ግርማ ልብ ወለድ።"),
    "Beneath the Lion's Gaze": ("ከአንበሳው እይታ ሥር", "በ1974 አዲስ አበባ የሚፈጸም የማዓዛ መንግሥቴ ልብ ወለድ።"),
    "Mitad electric injera griddle": ("የኤሌክትሪክ ምጣድ", "ለእንጀራ 50 ሳ.ሜ. የኤሌክትሪክ ምጣድ።"),
    "Mesob basket": ("መሶብ", "ከሐረር በእጅ የተሠራ መሶብ።"),
    "Berbere spice 1 kg": ("በርበሬ 1 ኪሎ", "በቤት የተዘጋጀ የበርበሬ ቅመም።"),
    "Netela shawl": ("ነጠላ", "ቀላል የጥጥ ነጠላ።"),
    "Leather jacket": ("የቆዳ ጃኬት", "ከኢትዮጵያ የበግ ቆዳ የተሠራ ጃኬት።"),
    "Habesha kemis": ("ሀበሻ ቀሚስ", "ጥለት ያለው በእጅ የተሸመነ የጥጥ ቀሚስ።"),
    "Addis T-shirt": ("የአዲስ ቲሸርት", "አዲስ አበባ የታተመ የጥጥ ቲሸርት።"),
    "Leather shoes": ("የቆዳ ጫማ", "ሞጆ የተሠራ የኢትዮጵያ የቆዳ ጫማ።"),
}
# Option names and values in Amharic; a value not listed (a shoe size) reads the same in both.
AMHARIC_OPTIONS = {
    "Size": ("መጠን", {"S": "ትንሽ", "M": "መካከለኛ", "L": "ትልቅ", "XL": "በጣም ትልቅ"}),
    "Colour": ("ቀለም", {"Red": "ቀይ", "Black": "ጥቁር"}),
}


def _amharic(text: str, *fields: str) -> dict:
    """The translations of a demo text: {"am": {field: ...}} for its title (or name) and description."""
    return {"am": dict(zip(fields, AMHARIC[text], strict=True))}


def _option(name: str, values: list[str]) -> dict:
    amharic_name, amharic_values = AMHARIC_OPTIONS[name]
    texts = [amharic_values.get(value, "") for value in values]
    return {"name": name, "values": values, "translations": {"am": {"name": amharic_name, "values": texts}}}


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
    translations = _amharic(name, "name", "description") if name in AMHARIC else {}
    if category is None:
        category = category_create(name=name, description=description, translations=translations)
    elif translations and not category.translations:
        category = category_update(category=category, data={"translations": translations})
    return category


def _product(*, title: str, **fields) -> Product | None:
    """A demo product, new (None when it was there; one seeded before the catalog had its Amharic
    gets it now)."""
    translations = _amharic(title, "title", "description")
    product = Product.objects.filter(title=title).first()
    if product is None:
        return product_create(title=title, translations=translations, **fields)
    if not product.translations:
        product_update(product=product, data={"translations": translations})
    return None


def seed(*, stdout, products: int = 0, variants: int = 1, **options) -> None:
    for (name, description), items in CATALOG.items():
        category = _category(name, description)
        for title, text, price, stock in items:
            if _product(title=title, description=text, price=Decimal(price), category=category, stock=stock):
                stdout.write(f"  product {title} created")
    for category_name, title, text, price, options_, combinations in VARIANT_PRODUCTS:
        product = _product(
            title=title,
            description=text,
            price=Decimal(price),
            category=Category.objects.get(name=category_name),
            options=[_option(name, values) for name, values in options_],
        )
        if product is None:
            continue
        for combination, held in combinations.items():
            stock, own_price = held if isinstance(held, tuple) else (held, None)
            variant_create(
                product=product,
                sku="-".join([product.slug[:12], *combination]).upper(),
                options=dict(zip([name for name, _ in options_], combination, strict=True)),
                price=Decimal(own_price) if own_price else None,
                stock=stock,
            )
        stdout.write(f"  product {title} created with {len(combinations)} variants")
    _add_pictures(stdout=stdout)
    if products:
        _generate_catalog(products, variants=variants, stdout=stdout)


def _picture(title: str, view: int) -> bytes:
    """A product shot drawn here and now (nothing is downloaded): the title on a colour of its own."""
    seed = hashlib.sha256(f"{title}/{view}".encode()).digest()
    background = tuple(60 + byte % 150 for byte in seed[:3])
    image = Image.new("RGB", (900, 900), background)
    draw = ImageDraw.Draw(image)
    accent = tuple(255 - channel for channel in background)
    for ring in range(6):
        inset = 120 + ring * 40 + seed[3 + ring] % 20
        draw.ellipse((inset, inset, 900 - inset, 900 - inset), outline=accent, width=8)
    font = ImageFont.load_default(size=48)
    for line, text in enumerate([title[:22], title[22:44]]):
        draw.text(
            (450, 760 + line * 56), text, fill="white", font=font, anchor="mm", stroke_width=3, stroke_fill="black"
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _add_pictures(*, stdout) -> None:
    """Two pictures for each demo product that has none."""
    titles = [item[0] for items in CATALOG.values() for item in items] + [item[1] for item in VARIANT_PRODUCTS]
    pictured = set(ProductImage.objects.values_list("product_id", flat=True))
    for product in Product.objects.filter(title__in=titles).exclude(pk__in=pictured):
        for view in (1, 2):
            upload = SimpleUploadedFile(f"{product.slug}-{view}.jpg", _picture(product.title, view))
            product_image_create(product=product, file=upload, alt=f"{product.title}, view {view}")
        stdout.write(f"  pictures of {product.title} drawn")


def _generate_catalog(total: int, *, variants: int, stdout, batch_size: int = 1000) -> None:
    """Top the generated part of the catalog up to `total` products (`catalog-000001`, ...), each
    sold in `variants` sizes, written in bulk with their ledger's first rows and their totals."""
    existing = Product.objects.filter(slug__startswith="catalog-").count()
    if existing >= total:
        stdout.write(f"  generated catalog already has {existing} products")
        return
    categories = [_category(f"Catalog {n:02d}", "Generated products for load tests.") for n in range(1, 21)]
    sizes = _SIZES[:variants] if variants > 1 else []
    rng = random.Random(existing)
    with tqdm(total=total - existing, desc="products", unit="product") as progress:
        for start in range(existing + 1, total + 1, batch_size):
            batch = range(start, min(start + batch_size, total + 1))
            _generate_batch(batch, categories=categories, sizes=sizes, rng=rng)
            progress.update(len(batch))
    category_product_counts_refresh(category_ids=[category.pk for category in categories])


def _generate_batch(batch: range, *, categories, sizes: list[str], rng: random.Random) -> None:
    prices = {n: Decimal(rng.randint(50, 90000)) + Decimal("0.99") for n in batch}
    stocks = {n: [rng.randint(0, 500) for _ in sizes or [None]] for n in batch}
    titles = {n: f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {n}" for n in batch}
    descriptions = {n: f"Generated item number {n} of the load-test catalog." for n in batch}
    products = Product.objects.bulk_create(
        Product(
            title=titles[n],
            slug=f"catalog-{n:06d}",
            description=descriptions[n],
            search_text=product_search_text(title=titles[n], description=descriptions[n], translations={}),
            base_price=prices[n],
            price=prices[n],
            price_max=prices[n],
            stock=sum(stocks[n]),
            category=categories[n % len(categories)],
        )
        for n in batch
    )
    values: dict[int, list[ProductOptionValue]] = {}
    if sizes:
        options = ProductOption.objects.bulk_create(ProductOption(product=p, name="Size") for p in products)
        rows = ProductOptionValue.objects.bulk_create(
            ProductOptionValue(option=o, value=size, position=i) for o in options for i, size in enumerate(sizes)
        )
        for i, option in enumerate(options):  # created option by option, so they come in runs
            values[option.product_id] = rows[i * len(sizes) : (i + 1) * len(sizes)]
    made = Variant.objects.bulk_create(
        Variant(
            product=product,
            sku=f"CAT-{n:06d}-{size}" if size else f"SKU-{product.pk}",
            options_key=f"size={size.lower()}" if size else "",
            stock=stock,
        )
        for n, product in zip(batch, products, strict=True)
        for size, stock in zip(sizes or [""], stocks[n], strict=True)
    )
    if sizes:
        link = Variant.option_values.through
        by_product = {p.pk: iter(values[p.pk]) for p in products}
        link.objects.bulk_create(
            link(variant_id=v.pk, productoptionvalue_id=next(by_product[v.product_id]).pk) for v in made
        )
    StockMovement.objects.bulk_create(
        StockMovement(variant_id=v.pk, delta=v.stock, stock_after=v.stock, reason=StockReason.INITIAL) for v in made
    )
