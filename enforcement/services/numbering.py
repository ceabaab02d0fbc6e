"""R9: official numbers of case files and decisions, 松市监罚〔2026〕5号.

Numbers are taken inside the transaction that opens the case or issues the decision, with one
upsert on the agency's counter for that character and year (as the complaint register takes its
numbers, `complaints.services.register.take_number`): the row lock queues concurrent issues and a
rolled-back issue gives its number back, so each series is unique and gapless.
"""

from django.db import connection
from django.utils import timezone

from ..models import Agency, Case, Decision, DocumentCounter, DocumentNumbering
from ..models.powers import Category
from .disclosures import PENALTY_KINDS


def numbering_of(agency: Agency) -> DocumentNumbering:
    """The agency's configuration, or the defaults with its full name for an agency that has
    not set an abbreviation yet (its documents are numbered all the same)."""
    found = DocumentNumbering.objects.filter(agency=agency).first()
    if found is not None:
        found.agency = agency  # the caller's instance: no second read of the agency
        return found
    return DocumentNumbering(agency=agency, abbreviation=agency.name)


def take_sequence(*, agency: Agency, word: str, year: int) -> int:
    """The next number of the agency's series for `word` in `year`; call it late in the
    transaction (its row lock is held until the transaction ends)."""
    table = DocumentCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, word, year, last) VALUES (%s, %s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (agency_id, word, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [agency.pk, word, year],
        )
        return cursor.fetchone()[0]


def format_number(abbreviation: str, word: str, year: int, sequence: int) -> str:
    return f"{abbreviation}{word}〔{year}〕{sequence}号"


def _take(numbering: DocumentNumbering, word: str, when) -> str:
    year = timezone.localtime(when).year
    sequence = take_sequence(agency=numbering.agency, word=word, year=year)
    return format_number(numbering.abbreviation, word, year, sequence)


def case_number_take(*, case: Case) -> str:
    """The case's number (立案编号), in the year it is opened."""
    numbering = numbering_of(case.agency)
    return _take(numbering, numbering.case_word, case.opened_at)


def decision_word(numbering: DocumentNumbering, decision: Decision, category: str) -> str:
    """The character of the decision's kind: 罚 for a penalty, else after its item's category."""
    if decision.kind in PENALTY_KINDS:
        return numbering.penalty_word
    return {
        Category.PENALTY: numbering.penalty_word,
        Category.LICENSING: numbering.licensing_word,
        Category.COERCION: numbering.coercion_word,
    }.get(category, numbering.other_word)


def decision_number_take(*, decision: Decision) -> str:
    """The decision document's number, in the year it is issued (`issued_at` set)."""
    case = decision.case
    numbering = numbering_of(case.agency)
    word = decision_word(numbering, decision, case.power_item.category)
    return _take(numbering, word, decision.issued_at)


def applied_bases(case: Case) -> list[dict]:
    """R9: the legal bases a decision in `case` applies: its item's bases and articles as
    published (the working copy's when the item is no longer published)."""
    published = getattr(case.power_item, "published", None)
    if published is not None and published.bases:
        return [
            {
                "title": entry.get("title", ""),
                "document_number": entry.get("document_number", ""),
                "articles": entry.get("articles", ""),
            }
            for entry in published.bases
            if isinstance(entry, dict)
        ]
    return [
        {
            "title": link.basis.title,
            "document_number": link.basis.document_number,
            "articles": link.articles,
        }
        for link in case.power_item.bases.select_related("basis").order_by("pk")
    ]
