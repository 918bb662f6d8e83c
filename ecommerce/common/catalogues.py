"""The translation catalogues: where each is, reading one, and making and compiling them.

    python -m ecommerce.common.catalogues make       # new strings into every catalogue (needs GNU gettext)
    python -m ecommerce.common.catalogues compile    # every .po to its .mo, in plain Python

`locale/` is the project's catalogue: the strings of `ecommerce/` (its templates included) and,
through `ecommerce/common/vendor_messages.py`, Amharic for Django's and DRF's own messages,
which ship none. Each app keeps its own strings in `<app>/locale/`. Django's `makemessages`
alone would put every app's strings into `locale/` (LOCALE_PATHS holds every file below the
project), so `make` runs it from each catalogue's own directory. The compiled `.mo` files are
committed beside their `.po`, so that a newcomer needs no gettext tools; `compile` writes them
without any, and a test holds them equal (ecommerce/common/tests/test_translations.py).
"""

import ast
import os
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGE = "am"  # every catalogue translates into Amharic; English is the code's own language
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"
# What makemessages does not read: tests and migrations show nothing to a person.
IGNORED = ["tests", "migrations", "__pycache__"]


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The entry's key in a compiled catalogue (and in Python's gettext)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def catalogues(base: Path) -> dict[Path, Path]:
    """{the directory whose strings a catalogue holds: its locale/ directory}, for the project at
    `base` (this one, or a copy of its sources)."""
    from django.apps import apps
    from django.conf import settings

    project = Path(settings.BASE_DIR)
    found = {base / "ecommerce": base / "locale"}
    for config in apps.get_app_configs():
        # The shop's own apps only: a directory of the project's own (never the virtualenv's).
        if Path(config.path).parent == project:
            name = Path(config.path).name
            found[base / name] = base / name / "locale"
    return found


def po_path(locale_dir: Path) -> Path:
    return locale_dir / LANGUAGE / "LC_MESSAGES" / "django.po"


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def po_read(path: Path) -> list[Entry]:
    """The entries of a .po file as gettext's tools write it (one blank line after each entry),
    its header first; obsolete `#~` entries are left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, last = Entry(msgid=""), None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if last == "msgstr":
                    entry.msgstr[-1] += _unquote(line)
                else:
                    setattr(entry, last, getattr(entry, last) + _unquote(line))
            else:
                keyword, _, value = line.partition(" ")
                last = "msgstr" if keyword.startswith("msgstr") else keyword
                if last == "msgstr":
                    entry.msgstr.append(_unquote(value))
                else:
                    setattr(entry, keyword, _unquote(value))
        if last is not None:
            entries.append(entry)
    return entries


def mo_write(entries: list[Entry], path: Path) -> None:
    """Compile translated, non-fuzzy entries to a .mo file, as msgfmt does (without its hash
    table, which readers may go without)."""
    messages = {}
    for entry in entries:
        if "fuzzy" in entry.flags and entry.msgid or not all(entry.msgstr):
            continue
        key = entry.key if entry.msgid_plural is None else f"{entry.key}\x00{entry.msgid_plural}"
        messages[key.encode()] = "\x00".join(entry.msgstr).encode()
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\x00"
        strs += messages[key] + b"\x00"
    start_ids = 7 * 4
    start_strs = start_ids + len(keys) * 8
    ids_at = start_strs + len(keys) * 8
    strs_at = ids_at + len(ids)
    table_ids, table_strs = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        table_ids += [id_length, ids_at + id_offset]
        table_strs += [str_length, strs_at + str_offset]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), start_ids, start_strs, 0, 0)
    tables = struct.pack(f"{len(table_ids) + len(table_strs)}i", *table_ids, *table_strs)
    path.write_bytes(header + tables + ids + strs)


def catalogues_compile(base: Path) -> list[Path]:
    written = []
    for locale_dir in catalogues(base).values():
        po = po_path(locale_dir)
        if po.exists():
            mo_write(po_read(po), po.with_suffix(".mo"))
            written.append(po.with_suffix(".mo"))
    return written


def catalogues_make(base: Path) -> None:
    """Run makemessages for each catalogue from its own directory (see the module's note)."""
    from django.core.management import call_command
    from django.test import override_settings

    for source, locale_dir in catalogues(base).items():
        if not any(source.rglob("*.py")):
            continue
        locale_dir.mkdir(exist_ok=True)
        os.chdir(source)
        # The project's catalogue is found through LOCALE_PATHS; an app's as the locale/ of the
        # directory makemessages runs in, once LOCALE_PATHS does not claim it.
        with override_settings(LOCALE_PATHS=[locale_dir] if source == base / "ecommerce" else []):
            call_command(
                "makemessages",
                locale=[LANGUAGE],
                ignore_patterns=IGNORED,
                add_location="file",  # no line numbers: an edit elsewhere in a file changes nothing
                no_obsolete=True,
                verbosity=0,
            )
        po = po_path(locale_dir)
        if po.exists():
            po.write_text(_header_filled(po.read_text(encoding="utf-8")), encoding="utf-8")
        elif not any(locale_dir.iterdir()):
            locale_dir.rmdir()  # nothing marked there yet


# makemessages' placeholders in a new catalogue's header, and what each becomes ("": dropped).
_HEADER_PLACEHOLDERS = {
    "# SOME DESCRIPTIVE TITLE.": "# Amharic for the shop (docs/glossary.md has its words).",
    "# Copyright (C) YEAR": "",
    "# This file is distributed under the same license as the PACKAGE package.": "",
    "# FIRST AUTHOR": "",
    "#": "",
    "#, fuzzy": "",
    '"Project-Id-Version: PACKAGE VERSION': '"Project-Id-Version: shop\\n"',
    '"POT-Creation-Date:': "",
    '"PO-Revision-Date: YEAR': "",
    '"Last-Translator: FULL NAME': "",
    '"Language-Team: LANGUAGE': "",
    '"Language: \\n"': f'"Language: {LANGUAGE}\\n"',
    '"Plural-Forms:': "",
}


def _header_filled(text: str) -> str:
    """The header as a catalogue needs it: makemessages leaves a new one fuzzy, full of
    placeholders, without its language and, until a plural message comes, without Amharic's
    plural rule (the admin's); and it dates each run, which would make every run a change."""
    header, _, rest = text.partition("\n\n")
    lines = []
    for line in header.splitlines():
        found = next((key for key in _HEADER_PLACEHOLDERS if line == key or key != "#" and line.startswith(key)), None)
        if found is None:
            lines.append(line)
        elif _HEADER_PLACEHOLDERS[found]:
            lines.append(_HEADER_PLACEHOLDERS[found])
    lines.append(f'"Plural-Forms: {PLURAL_FORMS}\\n"')
    return "\n".join(lines) + "\n\n" + rest


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecommerce.settings.local")
    import django
    from django.conf import settings

    django.setup()
    base = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(settings.BASE_DIR)
    if sys.argv[1:2] == ["make"]:
        catalogues_make(base)
    elif sys.argv[1:2] == ["compile"]:
        for path in catalogues_compile(base):
            print(path.relative_to(base))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
