"""R32: training sessions that use typical cases (以案释法: 情境模拟, 案例研讨, 庭审观摩). A session
records its kind, date, the published typical cases it used and the officers who attended; the
attendance counts in the officers' evaluation of the session's year (see `evaluation`).

Everything is checked before anything is written; a refusal changes nothing.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from enforcement.models import Officer, Region
from portal.roles import Role, role_of
from portal.text import clean_text

from ..models import TrainingSession, TypicalCase

EARLIEST_DATE = date(2000, 1, 1)
MAX_ATTENDEES = 2000


def may_record(user, region: Region) -> bool:
    """A supervisor of the region or of a region above it."""
    return (
        role_of(user) == Role.SUPERVISOR
        and bool(user.region_id)
        and region is not None
        and region.is_within(user.region)
    )


def _held_on(value) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ValidationError({"held_on": _("培训日期不是有效的日期。")})
    if value > localdate():
        raise ValidationError({"held_on": _("培训日期不能晚于今天。")})
    if value < EARLIEST_DATE:
        raise ValidationError({"held_on": _("培训日期不能早于 2000 年。")})
    return value


def _cases(cases) -> list[TypicalCase]:
    cases = list(cases)
    if not cases:
        raise ValidationError({"cases": _("请选择培训使用的典型案例。")})
    if any(not isinstance(c, TypicalCase) for c in cases):
        raise ValidationError({"cases": _("请选择已发布的典型案例。")})
    published = set(
        TypicalCase.objects.filter(
            pk__in=[c.pk for c in cases], status=TypicalCase.Status.PUBLISHED
        ).values_list("pk", flat=True)
    )
    if len(published) != len({c.pk for c in cases}):
        raise ValidationError({"cases": _("培训只能使用已发布的典型案例。")})
    return cases


def _attendees(attendees, region: Region) -> list[Officer]:
    attendees = list(attendees)
    if not attendees:
        raise ValidationError({"attendees": _("请选择参训的执法人员。")})
    if len(attendees) > MAX_ATTENDEES:
        raise ValidationError(
            {"attendees": _("参训人员不能超过 %(max)s 人。") % {"max": MAX_ATTENDEES}}
        )
    if any(not isinstance(o, Officer) for o in attendees):
        raise ValidationError({"attendees": _("参训人员须是执法人员。")})
    inside = set(
        Officer.objects.filter(
            pk__in={o.pk for o in attendees}, agency__region__path__startswith=region.path
        ).values_list("pk", flat=True)
    )
    outside = list(dict.fromkeys(o.certificate_number for o in attendees if o.pk not in inside))
    if outside:
        shown = "、".join(outside[:20]) + (
            "" if len(outside) <= 20 else _("等 %(n)s 个") % {"n": len(outside)}
        )
        raise ValidationError(
            {
                "attendees": _(
                    "参训人员须是本地区执法部门的执法人员，以下执法证号不是：%(numbers)s。"
                )
                % {"numbers": shown}
            }
        )
    return attendees


@transaction.atomic
def training_record(
    *, region: Region, kind: str, title, held_on, cases, attendees, actor
) -> TrainingSession:
    """R32: a supervisor of the region (or above) records a session held on a day not in the
    future, with the published typical cases it used and the region's officers who attended."""
    if not may_record(actor, region):
        raise PermissionDenied(_("只有本地区或上级政府法制监督人员可以登记以案释法培训。"))
    if kind not in TrainingSession.Kind.values:
        raise ValidationError({"kind": _("请选择培训形式（情境模拟、案例研讨或庭审观摩）。")})
    session = TrainingSession(
        region=region,
        kind=kind,
        title=clean_text(title, field="title", label=_("主题"), max_length=200),
        held_on=_held_on(held_on),
        recorded_by=actor,
    )
    cases = _cases(cases)
    attendees = _attendees(attendees, region)
    session.full_clean()
    session._history_user = actor
    session.save()
    session.cases.set(cases)
    session.attendees.set(attendees)
    return session
