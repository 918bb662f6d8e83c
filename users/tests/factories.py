import factory
from django.contrib.auth import get_user_model

DEFAULT_PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.et")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(DEFAULT_PASSWORD)


class StaffFactory(UserFactory):
    """The shop's owner: staff holding every permission. What staff with fewer may do is
    walked in backoffice/tests/test_staff_permissions.py."""

    is_staff = True
    is_superuser = True
