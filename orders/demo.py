"""Demo delivery methods (`manage.py seed_demo`): a courier in Addis Ababa, one to the regions,
and pickup at the shop."""

from decimal import Decimal

from addresses.regions import ETHIOPIA_REGIONS
from orders.models import DeliveryKind, DeliveryMethod
from orders.services.delivery import delivery_method_create, delivery_method_update

METHODS = [
    {
        "code": "addis-ababa-courier",
        "name": "Addis Ababa courier",
        "translations": {"am": {"name": "የአዲስ አበባ መልእክተኛ"}},
        "kind": DeliveryKind.COURIER,
        "regions": ["Addis Ababa"],
        "cities": ["Addis Ababa"],
        "fee": Decimal("150.00"),
        "free_over": Decimal("5000.00"),
        "estimated_days_min": 1,
        "estimated_days_max": 2,
        "cash_on_delivery": True,
    },
    {
        "code": "regional-courier",
        "name": "Regional courier",
        "translations": {"am": {"name": "የክልሎች መልእክተኛ"}},
        "kind": DeliveryKind.COURIER,
        "regions": [region for region in ETHIOPIA_REGIONS if region != "Addis Ababa"],
        "fee": Decimal("400.00"),
        "estimated_days_min": 3,
        "estimated_days_max": 5,
        "cash_on_delivery": False,
    },
    {
        "code": "pickup-bole",
        "name": "Pickup at the shop, Bole",
        "translations": {"am": {"name": "ከሱቁ መውሰድ፣ ቦሌ"}},
        "kind": DeliveryKind.PICKUP,
        "fee": Decimal("0.00"),
        "estimated_days_min": 0,
        "estimated_days_max": 1,
        "cash_on_delivery": True,
    },
]


def seed(*, stdout, **options) -> None:
    existing = {method.code: method for method in DeliveryMethod.objects.all()}
    added = [delivery_method_create(**method) for method in METHODS if method["code"] not in existing]
    for method in METHODS:
        # A method seeded before the shop had its Amharic name gets it now.
        if method["code"] in existing and not existing[method["code"]].translations:
            delivery_method_update(method=existing[method["code"]], data={"translations": method["translations"]})
    stdout.write(f"Delivery methods: {len(added)} added.")
