"""Chinese is the first language; every message has its English translation, compiled."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _entries():
    """(msgid, [msgstr...], fuzzy) for every entry of the English catalogue but the header."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
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
