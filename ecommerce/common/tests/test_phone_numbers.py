"""The shop's one reading of a phone number: Ethiopian mobile numbers, in any usual writing,
to the 10-digit local form; everything else refused."""

import pytest
from django.core.exceptions import ValidationError

from ecommerce.common.validators import PHONE_INVALID, normalize_ethiopian_phone


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("0911234567", "0911234567"),
        ("0911 23 45 67", "0911234567"),
        ("+251 911-234567", "0911234567"),
        ("+251911234567", "0911234567"),
        ("251911234567", "0911234567"),
        ("(0911) 234567", "0911234567"),
        ("0911.23.45.67", "0911234567"),
        ("251711234567", "0711234567"),  # Safaricom Ethiopia
        ("+251 700 000000", "0700000000"),
        (" 0711234567 ", "0711234567"),
    ],
)
def test_every_usual_writing_of_a_mobile_number(written, number):
    assert normalize_ethiopian_phone(written) == number


@pytest.mark.parametrize(
    "written",
    [
        "0111234567",  # an Addis Ababa landline
        "0811234567",  # a mobile range no operator uses
        "+254711234567",  # Kenya's Safaricom
        "+1 555 0100",
        "091123456",
        "09112345678",
        "2519112345678",
        "0911-CALLME",  # letters, which a keypad would read as digits
        "0911234567 ext 5",
        "٠٩١١٢٣٤٥٦٧",  # the digits of another script
        "0911\n234567",
        "",
        "+",
        "0" * 40,
    ],
)
def test_anything_else_is_refused(written):
    with pytest.raises(ValidationError) as raised:
        normalize_ethiopian_phone(written)
    assert raised.value.messages == [str(PHONE_INVALID)]


def test_the_error_names_the_field_when_asked():
    with pytest.raises(ValidationError) as raised:
        normalize_ethiopian_phone("abc", field="phone")
    assert raised.value.message_dict == {"phone": [str(PHONE_INVALID)]}
