"""The Amharic catalogues: complete, faithful to the originals' placeholders, holding every string
the code marks, and compiled as committed (ecommerce/common/catalogues.py)."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from conftest import skip_or_fail
from ecommerce.common.catalogues import catalogues, po_path, po_read

ROOT = Path(settings.BASE_DIR)
# Python's %-format, named or not (%(count)d, %s; not %%), and str.format's {name} / {}.
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACES = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")


def committed_catalogues() -> list[Path]:
    return sorted(path for locale_dir in catalogues(ROOT).values() if (path := po_path(locale_dir)).exists())


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def placeholders(text: str) -> list[str]:
    text = text.replace("%%", "")
    percent = [f"%({name})" if name else match.group(0) for match in PERCENT.finditer(text) for name in [match[1]]]
    return sorted(percent + [f"{{{name}}}" for name in BRACES.findall(text)])


@pytest.mark.parametrize(
    ("original", "translation", "same"),
    [
        ("Order %(number)s: %(status)s", "ትዕዛዝ %(number)s፦ %(status)s", True),
        ("Order %(number)s: %(status)s", "%(status)s፦ ትዕዛዝ %(number)s", True),  # reordered
        ("Order %(number)s: %(status)s", "ትዕዛዝ %(numbr)s፦ %(status)s", False),
        ("Order {number} received", "ትዕዛዝ {number} ደርሶናል", True),
        ("Order {number} received", "ትዕዛዝ ደርሶናል", False),
        ("Order {number} received", "ትዕዛዝ %(number)s ደርሶናል", False),
        ("at least %d character", "ቢያንስ %d ቁምፊ", True),
        ("at least %d character", "ቢያንስ %s ቁምፊ", False),
        ("U+{code_point:X}", "U+{code_point:X}", True),
        ("100%% sure", "100%% እርግጠኛ", True),
    ],
)
def test_placeholders_are_compared_by_name_and_kind(original, translation, same):
    assert (placeholders(original) == placeholders(translation)) is same


def test_the_project_and_the_order_emails_have_a_catalogue():
    found = {_name(path) for path in committed_catalogues()}
    assert {"locale/am/LC_MESSAGES/django.po", "orders/locale/am/LC_MESSAGES/django.po"} <= found


@pytest.mark.parametrize("po", committed_catalogues(), ids=_name)
class TestCatalogue:
    def test_every_entry_is_translated_and_none_is_fuzzy(self, po):
        entries = po_read(po)[1:]  # the header is not a message
        untranslated = [entry.msgid for entry in entries if not all(entry.msgstr)]
        fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
        assert not untranslated, f"{_name(po)}: no Amharic for {untranslated}"
        assert not fuzzy, f"{_name(po)}: fuzzy (check the translation, then remove the flag): {fuzzy}"

    def test_translations_keep_the_placeholders_of_the_original(self, po):
        wrong = []
        for entry in po_read(po)[1:]:
            for number, translation in enumerate(entry.msgstr):
                if not translation:
                    continue  # untranslated: the test above names it
                original = entry.msgid if number == 0 or entry.msgid_plural is None else entry.msgid_plural
                if placeholders(translation) != placeholders(original):
                    wrong.append((original, translation))
        assert not wrong, f"{_name(po)}: placeholders differ: {wrong}"

    def test_the_header_says_amharic_and_its_plural_rule(self, po):
        header = po_read(po)[0].msgstr[0]
        assert "Language: am\n" in header and "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header
        assert "charset=UTF-8" in header

    def test_the_committed_mo_is_the_po_compiled(self, po):
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{_name(mo)} is missing: python -m ecommerce.common.catalogues compile"
        with mo.open("rb") as file:
            compiled = gettext.GNUTranslations(file)
        expected = {}
        for entry in po_read(po)[1:]:
            if not all(entry.msgstr) or "fuzzy" in entry.flags:
                continue  # left out, as msgfmt leaves them out
            if entry.msgid_plural is None:
                expected[entry.key] = entry.msgstr[0]
            else:
                expected |= {(entry.key, number): text for number, text in enumerate(entry.msgstr)}
        assert compiled._catalog.keys() - {""} == expected.keys() and all(
            compiled._catalog[key] == text for key, text in expected.items()
        ), f"{_name(mo)} is not {_name(po)} compiled: python -m ecommerce.common.catalogues compile"


def _sources_copy(destination: Path) -> None:
    """The project's sources, without its catalogues, for makemessages to read afresh."""
    for source in catalogues(ROOT):
        shutil.copytree(
            source,
            destination / source.relative_to(ROOT),
            ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "tests", "migrations", "static"),
        )


def test_every_string_marked_in_the_code_is_in_its_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        skip_or_fail("needs GNU gettext's xgettext to read the marked strings (apt-get install gettext)")
    # given the marked strings as makemessages finds them in a copy of the sources
    _sources_copy(tmp_path)
    made = subprocess.run(
        [sys.executable, "-m", "ecommerce.common.catalogues", "make", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    # then each is in the committed catalogue of the directory that marks it, or in the
    # project's, which Django reads first (Django's own words the apps use, such as "username")
    project = {entry.key for entry in po_read(po_path(ROOT / "locale"))}
    missing = {}
    for locale_dir in catalogues(tmp_path).values():
        fresh = po_path(locale_dir)
        if not fresh.exists():
            continue  # nothing marked there
        committed = ROOT / fresh.relative_to(tmp_path)
        known = project | ({entry.key for entry in po_read(committed)} if committed.exists() else set())
        absent = sorted(entry.key for entry in po_read(fresh)[1:] if entry.key not in known)
        if absent:
            missing[str(committed.relative_to(ROOT))] = absent
    assert not missing, (
        f"strings marked in the code but not in their catalogue: {missing}. "
        "Run python -m ecommerce.common.catalogues make, translate, then compile."
    )


def test_the_readmes_compile_command_writes_the_committed_catalogues(tmp_path):
    """`python -m ecommerce.common.catalogues compile` (README, "Languages"), run on a copy of
    the catalogues, writes exactly the .mo files that are committed."""
    pairs = []
    for locale_dir in catalogues(ROOT).values():
        po = po_path(locale_dir)
        if po.exists():
            copy = tmp_path / po.relative_to(ROOT)
            copy.parent.mkdir(parents=True)
            shutil.copy(po, copy)
            pairs.append((copy.with_suffix(".mo"), po.with_suffix(".mo")))
    made = subprocess.run(
        [sys.executable, "-m", "ecommerce.common.catalogues", "compile", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert pairs and all(written.read_bytes() == committed.read_bytes() for written, committed in pairs)
