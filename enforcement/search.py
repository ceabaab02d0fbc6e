"""Full-text search for Chinese without a word segmenter: overlapping character pairs.

A published item has three documents, searched in this order of rank (R3): its title (name and
sub-item), its legal bases (titles, document numbers, articles), and everything (the title, the
bases, the category, the handling unit, the responsibilities, the accountability, the discretion
tiers, the agency). The discretion tiers are in it so that 罚款 finds the items that impose fines.

A text becomes a space-separated list of its CJK bigrams (行政许可 → 行政 政许 许可) plus, at the
end of each run of Chinese, its last character alone, and its Latin words and numbers in lower
case. A one-character query is a prefix match on the tokens (罚:* finds 罚款 and a final 罚).
A query becomes the same tokens, joined as a phrase: every two-character word is one exact token,
so the most common queries (许可, 处罚) are single lookups in an inverted (GIN) index.
"""

import re

_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _RUN.findall(text):
        if _CJK.match(run):
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
            tokens.append(run[-1])  # so a one-character query finds the end of a run too
        else:
            tokens.append(run.lower())
    return tokens


def search_document(*texts: str) -> str:
    """The searchable form of an item's texts, stored beside it and indexed."""
    return " ".join(token for text in texts if text for token in _tokens(text))


def search_documents(
    *,
    code: str,
    name: str,
    sub_item: str,
    category_label: str,
    handling_unit: str,
    responsibilities: str,
    accountability: str,
    bases: list[dict],
    discretion: list[dict],
    agency_name: str,
) -> dict[str, str]:
    """The three stored documents of a published item (its snapshot's `bases` and `discretion`
    as the published copy stores them)."""
    title = search_document(name, sub_item)
    bases_document = search_document(
        *(
            f"{b.get('title', '')} {b.get('document_number', '')} {b.get('articles', '')}"
            for b in bases
        )
    )
    tiers = (f"{t.get('circumstances', '')} {t.get('penalty', '')}" for t in discretion)
    everything = search_document(
        code,
        name,
        sub_item,
        category_label,
        handling_unit,
        responsibilities,
        accountability,
        *(b.get("title", "") for b in bases),
        *tiers,
        agency_name,
    )
    return {"search_title": title, "search_bases": bases_document, "search_document": everything}


def query_phrases(query: str) -> list[list[str]]:
    """The query as phrases (one per whitespace-separated part), each a list of tokens that must
    appear in this order. A run's trailing single character is dropped when it is covered by the
    run's last bigram, so 行政许可 must match the consecutive tokens 行政 政许 许可."""
    phrases = []
    for part in query.split():
        tokens: list[str] = []
        for run in _RUN.findall(part):
            if _CJK.match(run):
                tokens.extend(
                    [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
                )
            else:
                tokens.append(run.lower())
        if tokens:
            phrases.append(tokens)
    return phrases
