"""Search folding: the spellings people mix written one way, so that a search finds them all.

Amharic writes some sounds with more than one letter family: ሀ ሐ ኀ are all "h", ሰ ሠ "s",
አ ዐ the vowel alone, ጸ ፀ "ts'". Which one a word takes is a matter of etymology that few
writers follow (ሐበሻ and ሀበሻ, ፀሐይ and ጸሀይ are one word), and in the "h" and vowel families
the first and fourth forms sound the same too (ሀ/ሃ, አ/ኣ). `fold` writes each of these the
way of the first family listed, Ethiopic word space and punctuation as a space, and case the
way Python's `casefold` does. docs/amharic_search.md has the table and the reasons.

Only copies are folded (a search column and the query): the stored text is never changed.
When this table changes, the folded copies must be written again (a data migration).
"""

# The families that sound alike, the first of each line being the one the others fold to.
# Each family is its seven forms in order (ä u i a e ə o), so forms fold position by position.
SOUND_ALIKE_FAMILIES = (
    ("ሀሁሂሃሄህሆ", "ሐሑሒሓሔሕሖ", "ኀኁኂኃኄኅኆ"),
    ("ሰሱሲሳሴስሶ", "ሠሡሢሣሤሥሦ"),
    ("አኡኢኣኤእኦ", "ዐዑዒዓዔዕዖ"),
    ("ጸጹጺጻጼጽጾ", "ፀፁፂፃፄፅፆ"),
)
# The forms beyond the seven that two of those families share, to the first family's one.
# The others (ኈ ኊ ኌ ኍ, ኧ, ጿ, ፇ) exist in one family only and stay as they are.
SOUND_ALIKE_EXTRA_FORMS = {
    "ኇ": "ሇ",  # xoa, hoa
    "ኋ": "ሗ",  # xwaa, hhwa: "hwa" (ኋላ and ሗላ, "behind")
    "ሧ": "ሷ",  # szwa, swa
}
# After the families are folded: fourth forms pronounced like the first.
FOURTH_AS_FIRST = {"ሃ": "ሀ", "ኣ": "አ"}
# Ethiopic section mark, word space, full stop, comma, semicolon, colon, preface colon,
# question mark and paragraph separator.
ETHIOPIC_PUNCTUATION = "፠፡።፣፤፥፦፧፨"


def _table() -> dict[int, str]:
    letters = dict(SOUND_ALIKE_EXTRA_FORMS)
    for canonical, *others in SOUND_ALIKE_FAMILIES:
        for family in others:
            letters.update(zip(family, canonical, strict=True))
    letters = {letter: FOURTH_AS_FIRST.get(to, to) for letter, to in letters.items()} | FOURTH_AS_FIRST
    return str.maketrans(letters | {mark: " " for mark in ETHIOPIC_PUNCTUATION})


FOLD_TABLE = _table()


def fold(text: str) -> str:
    """`text` as search compares it: sound-alike letters as one, Ethiopic punctuation as
    spaces, runs of whitespace as one space (none at the ends), case folded."""
    return " ".join(text.translate(FOLD_TABLE).casefold().split())


def search_text(*texts: str) -> str:
    """The folded copy of several texts that search looks in: one line each, so that a
    folded query (which has no line break) never matches across two of them."""
    return "\n".join(folded for folded in map(fold, texts) if folded)
