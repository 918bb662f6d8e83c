import factory

from addresses.models import Address, AddressType
from users.tests.factories import UserFactory


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    address_type = AddressType.SHIPPING
    full_name = factory.Faker("name")
    phone = "0911234567"
    line1 = "Bole Road, House 12"
    city = "Addis Ababa"
    region = "Addis Ababa"
    country = "ET"
