"""R27: reverse tracing (倒查). When a complaint is substantiated, its own history is checked and
each failure opens one clue (source "倒查：投诉办理失职") against the person who failed (直接责任),
naming the unit's principal responsibility (主体责任, the clue's `agency`) and the supervising
office's supervisory responsibility (监督责任, `supervising_office`).

The checks:
- acknowledgement decided after `acknowledge_by` (the decision's day in Asia/Shanghai), or still
  undecided past it (nobody acted: the unit answers, 主体责任);
- a refusal found wrong: complaints has no path from a refusal to a finding (a refused complaint is
  final and cannot be reopened), so the check reads the data it does keep: an earlier complaint on
  the same matter (the same fingerprint: agency, category, description and contact) that was
  refused, against whoever refused it;
- the handling deadline (`handling_due`, extension included) missed: closed after it, or still
  open past it, against the handler;
- a referral not acted on: `referred_at` set and no clue registered within
  ACCOUNTABILITY_REFERRAL_WORKING_DAYS working days; the supervising office answers (监督责任).

Idempotent (one clue per complaint and check, also a database constraint) and a fixed number of
queries whatever the data size.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from complaints.models import Complaint, Result
from enforcement.models import Agency
from workdays.deadlines import add_working_days

from ..models import Clue, ClueEvent
from .clues import _write, supervises

SUBSTANTIATED = (Result.SUBSTANTIATED, Result.PARTLY)


def referral_working_days() -> int:
    """R27: days to register a referred complaint (setting ACCOUNTABILITY_REFERRAL_WORKING_DAYS)."""
    days = getattr(settings, "ACCOUNTABILITY_REFERRAL_WORKING_DAYS", None)
    if type(days) is not int or not 1 <= days <= 60:  # noqa: E721 - True is an int too
        raise ImproperlyConfigured(
            "ACCOUNTABILITY_REFERRAL_WORKING_DAYS must be a whole number from 1 to 60."
        )
    return days


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("（无人作出决定）")


def supervising_office(agency: Agency) -> Agency | None:
    """The government legal office over the unit: of its own region, or, when the unit is that
    office, of the region above."""
    region = agency.region.parent if agency.is_legal_office else agency.region
    if region is None:
        return None
    offices = Agency.objects.filter(is_legal_office=True).exclude(pk=agency.pk)
    return region.nearest(offices)


def _findings(complaint: Complaint, origin: Clue | None, today: date) -> list[dict]:
    found = []
    decided = _day(complaint.decided_at)
    if decided and decided > complaint.acknowledge_by:
        found.append(
            {
                "check": Clue.TraceCheck.LATE_ACKNOWLEDGEMENT,
                "person": complaint.decided_by,
                "line": _("受理告知期限 %(due)s，%(day)s 才作出受理决定。")
                % {"due": f"{complaint.acknowledge_by:%Y-%m-%d}", "day": f"{decided:%Y-%m-%d}"},
            }
        )
    elif decided is None and today > complaint.acknowledge_by:
        found.append(
            {
                "check": Clue.TraceCheck.LATE_ACKNOWLEDGEMENT,
                "person": None,
                "line": _("受理告知期限 %(due)s，至今未作出受理决定。")
                % {"due": f"{complaint.acknowledge_by:%Y-%m-%d}"},
            }
        )
    refused = (
        Complaint.objects.filter(
            fingerprint=complaint.fingerprint,
            status=Complaint.Status.REFUSED,
            registered_at__lt=complaint.registered_at,
        )
        .exclude(pk=complaint.pk)
        .select_related("decided_by", "agency__region__parent")
        .order_by("registered_at", "pk")
        .first()
    )
    if refused is not None and complaint.result in SUBSTANTIATED:
        found.append(
            {
                "check": Clue.TraceCheck.WRONG_REFUSAL,
                "person": refused.decided_by,
                "agency": refused.agency,
                "line": _("同一事项的投诉 %(number)s 曾于 %(day)s 被不予受理，后经核查属实。")
                % {"number": refused.number, "day": f"{_day(refused.decided_at):%Y-%m-%d}"},
            }
        )
    if complaint.handling_due:
        closed = _day(complaint.closed_at)
        late = closed > complaint.handling_due if closed else today > complaint.handling_due
        if late:
            found.append(
                {
                    "check": Clue.TraceCheck.HANDLING_OVERDUE,
                    "person": complaint.handler or complaint.decided_by,
                    "line": _("办理期限（含延长）%(due)s，%(when)s。")
                    % {
                        "due": f"{complaint.handling_due:%Y-%m-%d}",
                        "when": _("%(day)s 才办结") % {"day": f"{closed:%Y-%m-%d}"}
                        if closed
                        else _("至今未办结"),
                    },
                }
            )
    if complaint.referred_at:
        referred = _day(complaint.referred_at)
        limit = add_working_days(start=referred, days=referral_working_days()).deadline
        registered = _day(origin.registered_at) if origin else None
        if (registered or today) > limit:
            found.append(
                {
                    "check": Clue.TraceCheck.REFERRAL_IDLE,
                    "person": None,
                    "supervisory": True,
                    "line": _("%(day)s 移送责任追究，应于 %(limit)s 前立线索，%(when)s。")
                    % {
                        "day": f"{referred:%Y-%m-%d}",
                        "limit": f"{limit:%Y-%m-%d}",
                        "when": _("%(reg)s 才登记") % {"reg": f"{registered:%Y-%m-%d}"}
                        if registered
                        else _("至今未登记"),
                    },
                }
            )
    return found


@transaction.atomic
def complaint_trace(*, complaint: Complaint, actor=None) -> list[Clue]:
    """R27: check a substantiated complaint's history and open one clue per failure not yet
    traced; returns the clues opened (none the second time). `actor` None is the system, allowed
    only once the complaint is a clue (whose registrar then registers the traces)."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency__region__parent", "decided_by", "handler")
        .get(pk=complaint.pk)
    )
    if actor is not None and not supervises(actor, complaint.agency):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以倒查。"))
    if complaint.result not in SUBSTANTIATED:
        return []
    origin = (
        Clue.objects.filter(complaint=complaint, source=Clue.Source.COMPLAINT)
        .select_related("region")
        .first()
    )
    registrar = actor or (origin.registered_by if origin else None)
    if registrar is None:
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以倒查。"))
    region = origin.region if origin else registrar.region
    done = set(
        Clue.objects.filter(traced_complaint=complaint).values_list("trace_check", flat=True)
    )
    today = localdate()
    findings = [f for f in _findings(complaint, origin, today) if f["check"] not in done]
    if not findings:
        return []
    office = supervising_office(complaint.agency)
    opened, events = [], []
    for finding in findings:
        agency = finding.get("agency") or complaint.agency
        person = finding["person"]
        if finding.get("supervisory") and office is not None:
            agency, responsibility = office, Clue.Responsibility.SUPERVISORY
        elif person is None:
            responsibility = Clue.Responsibility.PRINCIPAL
        else:
            responsibility = Clue.Responsibility.DIRECT
        summary = _(
            "倒查（投诉 %(number)s）：%(what)s%(line)s失职人员：%(person)s（%(kind)s）；"
            "%(unit)s负主体责任；%(office)s负监督责任。"
        ) % {
            "number": complaint.number,
            "what": Clue.TraceCheck(finding["check"]).label + "。",
            "line": finding["line"],
            "person": _name(person),
            "kind": Clue.Responsibility(responsibility).label,
            "unit": complaint.agency,
            "office": office or _("上级政府法制机构"),
        }
        clue = _write(
            region=region,
            agency=agency,
            source=Clue.Source.REVERSE,
            summary=summary,
            received_on=today,
            actor=registrar,
            traced_from=origin,
            traced_complaint=complaint,
            trace_check=finding["check"],
            traced_person=person,
            responsibility=responsibility,
            supervising_office=office,
        )
        events.append(ClueEvent(clue=clue, kind=ClueEvent.Kind.TRACED, actor=actor, note=summary))
        if origin is not None:
            events.append(
                ClueEvent(
                    clue=origin,
                    kind=ClueEvent.Kind.TRACED,
                    actor=actor,
                    note=_("倒查立线索 %(number)s：%(what)s")
                    % {"number": clue.number, "what": clue.get_trace_check_display()},
                )
            )
        opened.append(clue)
    ClueEvent.objects.bulk_create(events)
    return opened
