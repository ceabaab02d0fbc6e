"""R18, R32: a decided accountability case published as a typical case (典型案例) with its
analysis (剖析) and lesson, anonymised, after a second supervisor approves; circulated to the
region's agencies as an internal notice (通报).

Anonymisation reuses the disclosure redaction (R9): citizens' names among the enforcement case's
parties and the accused officers' names are masked, identity and mobile numbers and the parties'
addresses removed. A check then refuses text that still names one of them in full or holds an
identity number (written with spaces or dashes, which the redaction does not see).

Everything is checked before anything is written; a refusal changes nothing.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.models import Agency, Party
from enforcement.redaction import IDENTITY_NUMBER, mask_name, redact_text
from portal.public_cache import public_cache_invalidate
from portal.recipients import agency_staff_emails
from portal.roles import Role, role_of
from portal.text import clean_text

from ..models import Proceeding, ProceedingEvent, Sanction, TypicalCase
from .clues import supervises

Status = TypicalCase.Status
DECIDED_STEPS = (Proceeding.Step.TRANSFER, Proceeding.Step.CLOSED)
# (field, label, max length): the texts a typical case publishes.
TEXTS = (
    ("title", gettext_lazy("标题"), 200),
    ("facts", gettext_lazy("基本案情"), 20000),
    ("analysis", gettext_lazy("案例剖析"), 20000),
    ("lesson", gettext_lazy("警示教育意义"), 5000),
)
RETURN_MAX = 2000
# What a name or a number may be broken up with to slip past an exact match.
_SEPARATORS = re.compile(r"[\s\-－_·・.．,，、/|]+")


# --- anonymisation -------------------------------------------------------------------------------


def people_of(proceeding: Proceeding) -> tuple[list[Party], list[str]]:
    """The enforcement case's parties and the names of the officers held to account."""
    parties = list(proceeding.enforcement_case.parties.all()) if proceeding.enforcement_case else []
    officers = [
        a.officer.name.strip()
        for a in proceeding.accused.select_related("officer")
        if a.officer_id and a.officer.name.strip()
    ]
    return parties, officers


def anonymise(text: str, *, parties, officers) -> str:
    """`text` redacted as a disclosure is, and the accused officers' names masked."""
    text = redact_text(text, parties)
    for name in sorted({n for n in officers if len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


def identifying(text: str, *, parties, officers) -> str | None:
    """What `text` still reveals ("姓名" or "身份证号"), or None. Separators are ignored, so that
    "王 小明" or "2201 0219 9001 0112 34" is found; organisations' names are left out first, so
    that a firm named after its owner is not taken for the owner."""
    for party in parties:
        if party.kind != Party.Kind.CITIZEN and party.name.strip():
            text = text.replace(party.name.strip(), "")
    compact = _SEPARATORS.sub("", text)
    names = {p.name.strip() for p in parties if p.kind == Party.Kind.CITIZEN} | set(officers)
    if any(len(name) >= 2 and _SEPARATORS.sub("", name) in compact for name in names):
        return _("姓名")
    identifiers = {p.identifier.strip() for p in parties if p.kind == Party.Kind.CITIZEN}
    if IDENTITY_NUMBER.search(compact) or any(i and i in compact for i in identifiers):
        return _("身份证号")
    return None


def _clean_texts(proceeding: Proceeding, values: dict) -> dict:
    """Each text cleaned, anonymised, then checked; the first that still identifies someone
    refuses the whole."""
    parties, officers = people_of(proceeding)
    cleaned = {}
    for field, label, max_length in TEXTS:
        value = clean_text(values[field], field=field, label=label, max_length=max_length)
        value = anonymise(value, parties=parties, officers=officers)
        what = identifying(value, parties=parties, officers=officers)
        if what is not None:
            raise ValidationError(
                {
                    field: _(
                        "典型案例中仍含有姓名或身份证号（%(label)s中的%(what)s），"
                        "请删除或改写后再保存。"
                    )
                    % {"label": label, "what": what}
                },
                code="identifying",
            )
        cleaned[field] = value
    return cleaned


# --- who may -------------------------------------------------------------------------------------


def may_draft(user, proceeding: Proceeding) -> bool:
    return supervises(user, proceeding.agency)


def is_decided(proceeding: Proceeding) -> bool:
    return proceeding.step in DECIDED_STEPS and hasattr(proceeding, "decision")


def may_review(user, typical: TypicalCase) -> bool:
    """R18: who approves or returns a typical case: a supervisor over the unit other than its
    drafter."""
    return typical.drafted_by_id != user.pk and may_draft(user, typical.proceeding)


def may_circulate(user, typical: TypicalCase) -> bool:
    """A supervisor of the publishing region or above it."""
    return (
        role_of(user) == Role.SUPERVISOR
        and bool(user.region_id)
        and typical.region.is_within(user.region)
    )


def _locked(typical: TypicalCase) -> TypicalCase:
    return (
        TypicalCase.objects.select_for_update(of=("self",))
        .select_related("proceeding__agency__region", "proceeding__enforcement_case", "region")
        .get(pk=typical.pk)
    )


def _save(typical: TypicalCase, actor, kind: str | None = None, note: str = "") -> TypicalCase:
    """Save the checked case; a change of state is a row in the proceeding's timeline."""
    typical.full_clean()
    typical._history_user = actor
    typical.save()
    if kind is not None:
        ProceedingEvent.objects.create(
            proceeding_id=typical.proceeding_id, kind=kind, actor=actor, note=note or typical.title
        )
    return typical


# --- the services --------------------------------------------------------------------------------


@transaction.atomic
def typical_draft(*, proceeding: Proceeding, title, facts, analysis, lesson, actor) -> TypicalCase:
    """R18, R32: a supervisor over the unit drafts a typical case of a decided proceeding that
    held someone responsible; its text is anonymised on save."""
    proceeding = (
        Proceeding.objects.select_for_update(of=("self",))
        .select_related("agency__region", "enforcement_case")
        .get(pk=proceeding.pk)
    )
    if not may_draft(actor, proceeding):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以撰写典型案例。"))
    if not is_decided(proceeding):
        raise ValidationError(_("该问责案件尚未作出决定，不能作为典型案例。"), code="undecided")
    if TypicalCase.objects.filter(proceeding=proceeding).exists():
        raise ValidationError(_("该问责案件已经撰写了典型案例。"), code="exists")
    if not Sanction.objects.filter(
        decision__proceeding=proceeding, responsible=True, revoked=False
    ).exists():
        raise ValidationError(
            _("该案件未认定任何人员或单位负有责任，不能作为反面典型案例。"), code="no_fault"
        )
    texts = _clean_texts(
        proceeding, {"title": title, "facts": facts, "analysis": analysis, "lesson": lesson}
    )
    typical = TypicalCase(
        proceeding=proceeding, region=actor.region, drafted_by=actor, status=Status.DRAFT, **texts
    )
    return _save(typical, actor, ProceedingEvent.Kind.TYPICAL_DRAFTED)


@transaction.atomic
def typical_update(*, typical: TypicalCase, title, facts, analysis, lesson, actor) -> TypicalCase:
    """The drafter changes the texts while the typical case is a draft (anonymised again)."""
    typical = _locked(typical)
    if typical.drafted_by_id != actor.pk or not may_draft(actor, typical.proceeding):
        raise PermissionDenied(_("只有撰写人可以修改典型案例。"))
    if typical.status != Status.DRAFT:
        raise ValidationError(_("典型案例已提交审核，不能再修改。"), code="not_draft")
    texts = _clean_texts(
        typical.proceeding,
        {"title": title, "facts": facts, "analysis": analysis, "lesson": lesson},
    )
    for field, value in texts.items():
        setattr(typical, field, value)
    return _save(typical, actor)


@transaction.atomic
def typical_submit(*, typical: TypicalCase, actor) -> TypicalCase:
    """The drafter submits the draft for a supervisor's approval."""
    typical = _locked(typical)
    if typical.drafted_by_id != actor.pk or not may_draft(actor, typical.proceeding):
        raise PermissionDenied(_("只有撰写人可以提交典型案例。"))
    if typical.status != Status.DRAFT:
        raise ValidationError(_("典型案例已经提交审核。"), code="not_draft")
    typical.status = Status.SUBMITTED
    return _save(typical, actor, ProceedingEvent.Kind.TYPICAL_SUBMITTED)


def _reviewer(typical: TypicalCase, actor) -> None:
    """Refuses anyone but a reviewer (`may_review`), saying why."""
    if not may_draft(actor, typical.proceeding):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以审核典型案例。"))
    if typical.drafted_by_id == actor.pk:
        raise PermissionDenied(_("撰写人不能审核自己撰写的典型案例。"))


@transaction.atomic
def typical_return(*, typical: TypicalCase, reasons, actor) -> TypicalCase:
    """R18: the reviewer (a supervisor over the unit other than the drafter) sends a submitted
    case back to draft with written reasons, a row of the proceeding's timeline that the drafter
    reads on the case's page; the drafter edits and submits again. A published case is not
    returned."""
    typical = _locked(typical)
    _reviewer(typical, actor)
    if typical.status == Status.PUBLISHED:
        raise ValidationError(_("典型案例已经发布，不能退回修改。"), code="published")
    if typical.status != Status.SUBMITTED:
        raise ValidationError(_("只有待审核的典型案例可以退回修改。"), code="not_submitted")
    reasons = clean_text(reasons, field="reasons", label=_("退回理由"), max_length=RETURN_MAX)
    typical.status = Status.DRAFT
    return _save(typical, actor, ProceedingEvent.Kind.TYPICAL_RETURNED, reasons)


@transaction.atomic
def typical_approve(*, typical: TypicalCase, actor) -> TypicalCase:
    """R18: a supervisor over the unit other than the drafter approves the submitted case, which
    is then published. The anonymity check runs once more on what is published."""
    typical = _locked(typical)
    _reviewer(typical, actor)
    if typical.status != Status.SUBMITTED:
        raise ValidationError(_("只有待审核的典型案例可以审核发布。"), code="not_submitted")
    _clean_texts(typical.proceeding, {field: getattr(typical, field) for field, *_r in TEXTS})
    typical.status = Status.PUBLISHED
    typical.approved_by, typical.published_at = actor, timezone.now()
    typical = _save(typical, actor, ProceedingEvent.Kind.TYPICAL_PUBLISHED)
    public_cache_invalidate()
    return typical


def _notice(typical: TypicalCase) -> tuple[str, str]:
    subject = _("通报：%(title)s（%(number)s）") % {
        "title": typical.title,
        "number": typical.notice_number,
    }
    body = _(
        "%(region)s典型案例通报 %(number)s\n\n%(title)s\n\n基本案情：\n%(facts)s\n\n"
        "案例剖析：\n%(analysis)s\n\n警示教育意义：\n%(lesson)s\n\n"
        "请各单位组织执法人员学习，引以为戒。"
    ) % {
        "region": typical.region.name,
        "number": typical.notice_number,
        "title": typical.title,
        "facts": typical.facts,
        "analysis": typical.analysis,
        "lesson": typical.lesson,
    }
    return subject, body


@transaction.atomic
def typical_circulate(*, typical: TypicalCase, notice_number, actor) -> TypicalCase:
    """R32: a supervisor of the publishing region (or above) circulates the published case to
    the region's agencies as a notice (通报), once; their staff are e-mailed after commit.
    Returns the case; `typical.recipients` says how many agencies were told."""
    typical = _locked(typical)
    if not may_circulate(actor, typical):
        raise PermissionDenied(_("只有发布地区的政府法制监督人员可以通报典型案例。"))
    if typical.status != Status.PUBLISHED:
        raise ValidationError(_("典型案例发布后才能通报。"), code="not_published")
    if typical.circulated_at is not None:
        raise ValidationError(_("该典型案例已经通报。"), code="circulated")
    typical.notice_number = clean_text(
        notice_number, field="notice_number", label=_("通报文号"), max_length=60
    )
    typical.circulated_at = timezone.now()
    typical = _save(
        typical,
        actor,
        ProceedingEvent.Kind.TYPICAL_CIRCULATED,
        _("通报文号：%(number)s") % {"number": typical.notice_number},
    )
    agencies = set(
        Agency.objects.filter(region__path__startswith=typical.region.path).values_list(
            "pk", flat=True
        )
    )
    subject, body = _notice(typical)
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, emails)
        for _agency, emails in sorted(agency_staff_emails(agencies).items())
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    typical.recipients = len(messages)
    return typical
