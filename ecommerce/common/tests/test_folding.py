"""The search folding table (ecommerce.common.folding), checked against the letters written
out here by hand rather than against the table itself."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecommerce.common.folding import ETHIOPIC_PUNCTUATION, fold, search_text

# Each family's seven forms (ä u i a e ə o) and what they fold to.
FAMILIES = {
    "ሀሁሂሃሄህሆ": "ሀሁሂሀሄህሆ",
    "ሐሑሒሓሔሕሖ": "ሀሁሂሀሄህሆ",
    "ኀኁኂኃኄኅኆ": "ሀሁሂሀሄህሆ",
    "ሰሱሲሳሴስሶ": "ሰሱሲሳሴስሶ",
    "ሠሡሢሣሤሥሦ": "ሰሱሲሳሴስሶ",
    "አኡኢኣኤእኦ": "አኡኢአኤእኦ",
    "ዐዑዒዓዔዕዖ": "አኡኢአኤእኦ",
    "ጸጹጺጻጼጽጾ": "ጸጹጺጻጼጽጾ",
    "ፀፁፂፃፄፅፆ": "ጸጹጺጻጼጽጾ",
}
EXTRA_FORMS = {"ኇ": "ሇ", "ኋ": "ሗ", "ሧ": "ሷ"}
CHANGED = {
    letter for forms, folded in FAMILIES.items() for letter, to in zip(forms, folded, strict=True) if letter != to
} | set(EXTRA_FORMS)


def test_habesha_in_any_h():
    assert fold("ሐበሻ") == fold("ሀበሻ") == fold("ኀበሻ") == "ሀበሻ"


def test_tsehay_in_either_ts_and_h():
    assert fold("ፀሐይ") == fold("ጸሀይ") == "ጸሀይ"


@pytest.mark.parametrize(("forms", "folded"), FAMILIES.items())
def test_every_form_of_a_family_folds_to_the_same_form_of_the_first(forms, folded):
    assert fold(forms) == folded


def test_forms_beyond_the_seven_fold_where_two_families_share_them():
    assert fold("".join(EXTRA_FORMS)) == "".join(EXTRA_FORMS.values())
    assert fold("ኋላ") == fold("ሗላ")
    # Forms only one family has.
    assert fold("ኈኊኌኍኧጿፇ") == "ኈኊኌኍኧጿፇ"


def test_first_and_fourth_forms_that_sound_alike():
    assert fold("ሃገር") == fold("ሀገር")
    assert fold("ዓለም") == fold("ኣለም") == fold("አለም") == "አለም"
    # Elsewhere the fourth form is a vowel of its own: ሳ is "sa", ሰ "sä".
    assert fold("ሳ") != fold("ሰ")


def test_no_other_ethiopic_letter_changes():
    letters = [
        chr(code)
        for code in range(0x1200, 0x1380)
        if unicodedata.category(chr(code)).startswith("L") and chr(code) not in CHANGED
    ]
    assert len(letters) > 280  # the rest of the block: ለ to ፚ
    assert fold("".join(letters)) == "".join(letters)


@pytest.mark.parametrize("mark", list("፡።፣፤፥፦፧፨"))
def test_ethiopic_punctuation_is_a_space(mark):
    assert mark in ETHIOPIC_PUNCTUATION
    assert fold(f"ቡና{mark}ሻይ") == "ቡና ሻይ"
    assert fold(f"ቡና {mark} ሻይ{mark}") == "ቡና ሻይ"


def test_whitespace_collapsed_and_trimmed():
    assert fold("  ሀበሻ \t\n ቀሚስ\u00a0 ") == "ሀበሻ ቀሚስ"


def test_latin_casefolded():
    assert fold("Lenovo LAPTOP") == "lenovo laptop"
    assert fold("STRASSE") == fold("Straße")


@pytest.mark.parametrize("text", ["قهوة عربية", "咖啡", "कॉफ़ी", "١٢٣", "☕ 100%"])
def test_other_scripts_unchanged(text):
    assert fold(text) == text


def test_scripts_with_case_casefolded_too():
    # The contract's search is case-insensitive in any script.
    assert fold("КОФЕ") == "кофе"


ethiopic_and_more = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x1200, max_codepoint=0x137F),
        st.sampled_from(" \t\n\u00a0AaßİΣ"),
        st.characters(),
    )
)


@given(ethiopic_and_more)
def test_folding_twice_is_folding_once(text):
    assert fold(fold(text)) == fold(text)


def test_search_text_is_one_folded_line_per_text():
    assert search_text("ሐበሻ  ቀሚስ", "", "Hand-woven\nDRESS") == "ሀበሻ ቀሚስ\nhand-woven dress"
