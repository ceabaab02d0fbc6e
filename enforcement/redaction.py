"""Redaction of what the public reads of a decision (R9).

A decision is public by default, but a natural person's identity is not: a citizen's name is
partly masked (the surname stays), resident identity numbers, mobile numbers and the parties'
addresses are removed and a visible marker says so. Organisations' names are public and stay,
even when a citizen's name happens to be part of one.
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .models import Party

MASK = "*"
REMOVED = _("〔已隐去〕")

# Compound surnames (复姓) that keep two characters; every other name keeps one.
_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 "
    "澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 轩辕 呼延 南宫 钟离 闻人 万俟 赫连 "
    "独孤 西门 百里 东郭 南门 羊舌 第五 拓跋 司空 鲜于 闾丘 亓官 仲孙 左丘 梁丘"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())

# Addresses shorter than this are placeholders ("无", "不详") or too vague to identify anyone;
# removing them everywhere would strip ordinary words from the whole text.
MIN_ADDRESS_LENGTH = 4

_DIGIT = "[0-9０-９]"
_ALNUM_EDGE = "0-9０-９A-Za-zＡ-Ｚａ-ｚ"
# Every 18-character number shaped like a resident identity number (a wrong check digit or
# date must not let one through), and 15-digit old ones that carry a plausible birth date.
_ID_18 = f"{_DIGIT}{{17}}[0-9０-９XxＸｘ]"
_ID_15 = (
    f"{_DIGIT}{{8}}(?:[0０][1-9１-９]|[1１][0-2０-２])"
    f"(?:[0-2０-２]{_DIGIT}|[3３][01０１]){_DIGIT}{{3}}"
)
IDENTITY_NUMBER = re.compile(f"(?<![{_ALNUM_EDGE}])(?:{_ID_18}|{_ID_15})(?![{_ALNUM_EDGE}])")
MOBILE_NUMBER = re.compile(
    f"(?<![{_ALNUM_EDGE}])(?:(?:\\+|＋)?86[- ]?)?[1１][3-9３-９]{_DIGIT}"
    f"[- ]?{_DIGIT}{{4}}[- ]?{_DIGIT}{{4}}(?![{_ALNUM_EDGE}])"
)


def mask_name(name: str) -> str:
    """王小明 → 王**, 欧阳修 → 欧阳*, 李 → 李*: the surname and one mask per further character."""
    name = name.strip()
    if not name:
        return ""
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + MASK * max(len(name) - keep, 1)


def _is_citizen(party: Party) -> bool:
    return party.kind == Party.Kind.CITIZEN


def public_party_name(party: Party) -> str:
    """The name the public reads: a citizen's masked, an organisation's as registered."""
    return mask_name(party.name) if _is_citizen(party) else party.name.strip()


def public_parties(parties: Iterable[Party]) -> str:
    """The parties as the disclosure lists them: names only, never identifiers or addresses."""
    return "、".join(name for name in map(public_party_name, parties) if name)


def _replacements(parties: Iterable[Party]) -> dict[str, str]:
    """Exact strings and what replaces them. Organisations' names and codes map to themselves,
    so that a citizen's name inside a firm's name leaves the firm's name whole."""
    removed = str(REMOVED)
    found: dict[str, str] = {}
    for party in parties:
        name, identifier = party.name.strip(), party.identifier.strip()
        address = party.address.strip()
        if len(address) >= MIN_ADDRESS_LENGTH:
            found.setdefault(address, removed)
        if _is_citizen(party):
            if len(name) >= 2:  # a one-character name would mask that character everywhere
                found[name] = mask_name(name)
            if identifier:
                found[identifier] = removed
        else:
            found[name] = name
            if identifier:
                found.setdefault(identifier, identifier)
    return found


def redact_text(text: str, parties: Iterable[Party]) -> str:
    """`text` with citizens' names masked and identity numbers, mobile numbers and the parties'
    addresses replaced by a visible marker; organisations' names untouched."""
    replacements = _replacements(list(parties))
    if replacements:
        # Longest first: at any position the alternation then takes the longest string.
        keys = sorted(replacements, key=len, reverse=True)
        exact = re.compile("|".join(map(re.escape, keys)))
        pieces, last = [], 0
        for match in exact.finditer(text):
            pieces.append(_redact_numbers(text[last : match.start()]))
            pieces.append(replacements[match.group()])
            last = match.end()
        pieces.append(_redact_numbers(text[last:]))
        return "".join(pieces)
    return _redact_numbers(text)


def _redact_numbers(text: str) -> str:
    removed = str(REMOVED)
    return MOBILE_NUMBER.sub(removed, IDENTITY_NUMBER.sub(removed, text))
