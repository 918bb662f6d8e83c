"""How many SMS a text is sent as, which is what operators bill (3GPP TS 23.038 and 23.040).

A text written only in the GSM-7 alphabet takes 160 characters in one SMS; its extension
characters (`{ } [ ] ~ \\ | ^ €` and the form feed) take two, an escape and the character. Any
other character, every Ethiopic letter among them, sends the whole text in UCS-2: 70 UTF-16
units in one SMS. A longer text is split into parts that each give up room for the header that
joins them: 153 septets, or 67 units, and a part never ends inside an escape pair or a
surrogate pair.
"""

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SmsParts:
    encoding: str  # "gsm7" | "ucs2"
    units: int  # septets in GSM-7, UTF-16 code units in UCS-2
    parts: int


def _pack(sizes: list[int], single: int, part: int) -> int:
    total = sum(sizes)
    if total <= single:
        return 1
    parts, room = 1, part
    for size in sizes:
        if size > room:
            parts, room = parts + 1, part
        room -= size
    return parts


def sms_parts(text: str) -> SmsParts:
    """The encoding, the length in its units and the number of parts `text` is sent as."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        sizes = [2 if char in GSM7_EXTENSION else 1 for char in text]
        return SmsParts("gsm7", sum(sizes), _pack(sizes, GSM7_SINGLE, GSM7_PART))
    # Characters beyond the BMP (an emoji) are a surrogate pair: two units, never split.
    sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return SmsParts("ucs2", sum(sizes), _pack(sizes, UCS2_SINGLE, UCS2_PART))
