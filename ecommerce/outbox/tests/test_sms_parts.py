"""SMS parts against known values (3GPP TS 23.038/23.040: 160/153 septets, 70/67 UCS-2 units)."""

import pytest

from ecommerce.outbox.sms_parts import SmsParts, sms_parts

AMHARIC_LETTER = "ሀ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SmsParts("gsm7", 0, 1)),
        ("a" * 160, SmsParts("gsm7", 160, 1)),
        ("a" * 161, SmsParts("gsm7", 161, 2)),
        ("a" * 306, SmsParts("gsm7", 306, 2)),
        ("a" * 307, SmsParts("gsm7", 307, 3)),
        # The extension table's characters take two septets each.
        ("€" * 80, SmsParts("gsm7", 160, 1)),
        ("€" * 81, SmsParts("gsm7", 162, 2)),
        ("{[~]}|^\\\f", SmsParts("gsm7", 18, 1)),
        # The GSM alphabet's own accented letters and Greek capitals stay GSM-7.
        ("Ça coute 5 €", SmsParts("gsm7", 13, 1)),
        ("ΔΦΓΛΩΠΨΣΘΞ@£$¥èéùìò", SmsParts("gsm7", 19, 1)),
        # An escape pair is never split: part one holds 152 septets, "€" opens part two.
        ("a" * 152 + "€" + "a" * 152, SmsParts("gsm7", 306, 3)),
        ("a" * 151 + "€" + "a" * 153, SmsParts("gsm7", 306, 2)),
        # One character outside GSM-7 sends the whole text in UCS-2.
        ("a" * 69 + "ê", SmsParts("ucs2", 70, 1)),
        (AMHARIC_LETTER * 70, SmsParts("ucs2", 70, 1)),
        (AMHARIC_LETTER * 71, SmsParts("ucs2", 71, 2)),
        (AMHARIC_LETTER * 134, SmsParts("ucs2", 134, 2)),
        (AMHARIC_LETTER * 135, SmsParts("ucs2", 135, 3)),
        # A character beyond the BMP is a surrogate pair: two units, never split.
        ("😀" * 35, SmsParts("ucs2", 70, 1)),
        ("a" * 66 + "😀" + "a" * 66, SmsParts("ucs2", 134, 3)),
        ("a" * 65 + "😀" + "a" * 67, SmsParts("ucs2", 134, 2)),
    ],
)
def test_parts_of_known_texts(text, expected):
    assert sms_parts(text) == expected
