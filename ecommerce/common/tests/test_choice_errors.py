"""A value that is not one of a field's choices is refused with the valid choices named, in
bodies and in query parameters alike."""

import importlib
from importlib.util import find_spec

import pytest
from django.urls import reverse
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from ecommerce.common.tests.test_import_graph import APPS

pytestmark = pytest.mark.django_db


def _choice_fields():
    """Every choice field declared in the apps' input and filter serializers, with where it is
    (an output serializer's choices only document what the API sends)."""

    def walk(fields, where):
        for name, field in fields.items():
            if isinstance(field, serializers.ChoiceField) and not field.read_only:
                yield f"{where}.{name}", field
            child = getattr(field, "child", None)
            if isinstance(child, serializers.ChoiceField):
                yield f"{where}.{name}[]", child

    for app in sorted(APPS | {"ecommerce.common"}):
        if find_spec(f"{app}.serializers") is None:
            continue
        module = importlib.import_module(f"{app}.serializers")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, serializers.Serializer)
                and value.__module__ == module.__name__
                and not value.__name__.endswith("OutputSerializer")
            ):
                yield from walk(value._declared_fields, f"{module.__name__}.{value.__name__}")


def _refusal(field) -> str:
    with pytest.raises(serializers.ValidationError) as exc:
        field.run_validation("not-one-of-them")
    return str(exc.value.detail[0])


def test_every_choice_field_of_the_api_names_its_choices():
    fields = dict(_choice_fields())
    assert len(fields) > 10  # the walk found them
    for where, field in fields.items():
        message = _refusal(field)
        if isinstance(field, CountryField):
            # Some 250 of them: the message names the standard they come from instead.
            assert "ISO 3166-1 alpha-2" in message, where
        else:
            assert all(choice in message for choice in field.choice_strings_to_values), (where, message)


def test_a_bad_address_type_lists_the_types(auth_client):
    response = auth_client.post(reverse("addresses:list"), {"address_type": "home"})
    assert response.json()["address_type"] == ['"home" is not a valid choice. Choose one of: shipping, billing.']


def test_a_bad_country_says_what_a_country_code_is(auth_client):
    response = auth_client.post(reverse("addresses:list"), {"country": "Narnia"})
    assert response.json()["country"] == ['"Narnia" is not a country code: send its ISO 3166-1 alpha-2 code, e.g. ET.']


@pytest.mark.parametrize(
    ("parameter", "value", "choices"),
    [
        ("ordering", "cheapest", "price, -price, created_at, -created_at, title, -title, rating_avg, -rating_avg"),
        ("in_stock", "maybe", "true, false, 1, 0"),
    ],
)
def test_a_bad_choice_in_the_query_lists_the_choices(api_client, parameter, value, choices):
    response = api_client.get(reverse("products:list"), {parameter: value})
    assert response.status_code == 400
    assert response.json()[parameter] == [f'"{value}" is not a valid choice. Choose one of: {choices}.']
