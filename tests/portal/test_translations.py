"""Chinese is the first language; every message has its English translation, compiled."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _entries(po: Path = PO):
    """(msgctxt, msgid, [msgstr...], fuzzy) for every entry of a catalogue but the header.

    Obsolete (``#~``) entries are left out: their lines do not start with a keyword."""
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*fuzzy", block, re.M) is not None
        parts = re.split(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) ", block, flags=re.M)
        fields: dict[str, str] = {}
        for key, value in zip(parts[1::2], parts[2::2], strict=True):
            fields[key] = _unescape("".join(re.findall(r'"(.*)"', value)))
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            yield fields.get("msgctxt"), fields["msgid"], strs, fuzzy


def test_every_message_has_an_english_translation():
    untranslated = [msgid for _ctx, msgid, strs, fuzzy in _entries() if fuzzy or not all(strs)]
    assert untranslated == [], "run `make messages` and translate these"


def test_the_compiled_catalogue_matches_the_translations():
    with PO.with_suffix(".mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    for context, msgid, strs, _fuzzy in _entries():
        if len(strs) == 1:
            found = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
            assert found == strs[0], "run `make messages` to compile"


# What `make messages` leaves out of the scan, plus what a copy of the sources does not need.
_NOT_COPIED = {
    ".git",
    ".venv",
    "var",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
}


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="makemessages needs GNU gettext (xgettext, msgmerge)",
)
def test_no_message_of_the_code_is_missing_from_the_catalogue(tmp_path):
    """Every message marked in the code and templates is in the committed catalogue.

    Runs `make messages`' makemessages on a copy of the sources (so that the working tree, its
    catalogue included, is left untouched) and compares the copy's catalogue with the committed one.
    """
    copy = tmp_path / "portal"
    shutil.copytree(
        ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in _NOT_COPIED], symlinks=True
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=.venv", "--ignore=var"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    committed = {(context, msgid) for context, msgid, _strs, _fuzzy in _entries()}
    in_code = {
        (context, msgid) for context, msgid, _strs, _fuzzy in _entries(copy / PO.relative_to(ROOT))
    }
    missing = sorted(in_code - committed, key=lambda key: (key[0] or "", key[1]))
    assert missing == [], (
        "messages of the code missing from locale/en/LC_MESSAGES/django.po; run `make messages` "
        "and translate them:\n"
        + "\n".join(f"{ctx + ' | ' if ctx else ''}{msgid}" for ctx, msgid in missing)
    )
