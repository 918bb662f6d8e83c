from decimal import Decimal

import factory

from categories.tests.factories import CategoryFactory
from products.models import Product


class ProductFactory(factory.django.DjangoModelFactory):
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
