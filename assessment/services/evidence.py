"""R20: special inspections (专项检查) and unannounced visits (暗访) recorded as evidence of a
cycle, by a supervisor whose region covers the inspected agency, with photos checked by their
content and kept through Django's storage."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from enforcement.models import Agency
from portal import uploads
from portal.scoping import can_supervise
from portal.text import clean_text

from ..models import Assignment, Cycle, CycleEvent, Inspection, InspectionPhoto

MAX_PHOTOS = 10


def photo_limits() -> dict[str, int]:
    """Photos only, each up to EVALUATION_PHOTO_MAX_MB (10 MB unless set)."""
    return {"image": settings.EVALUATION_PHOTO_MAX_MB * uploads.MIB}


def check_photos(photos) -> list[uploads.CheckedFile]:
    """Every photo checked by its content; a renamed executable or an oversized file refused."""
    try:
        return uploads.check_files(photos, limits=photo_limits(), max_count=MAX_PHOTOS)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc


def _refuse_date(cycle: Cycle, held_on) -> None:
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": _("请填写有效的检查日期（年-月-日）。")})
    if held_on.year != cycle.year:
        raise ValidationError(
            {"held_on": _("检查日期应在考核年度 %(year)s 年内。") % {"year": cycle.year}}
        )
    if held_on > localdate():
        raise ValidationError({"held_on": _("检查日期不能晚于今天。")})


@transaction.atomic
def inspection_record(
    *,
    cycle: Cycle,
    agency: Agency,
    kind: str,
    held_on: date,
    place: str,
    inspectors: str,
    findings: str,
    photos=(),
    actor,
) -> Inspection:
    """R20: record an inspection or unannounced visit of an agency evaluated in the open cycle."""
    if not can_supervise(actor, agency):
        raise PermissionDenied(_("只有负责该单位所在区划的监督人员可以记录检查和暗访。"))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("该考核周期已经结束，不能再记录检查和暗访。"))
    if not Assignment.objects.filter(cycle=cycle, agency=agency).exists():
        raise ValidationError({"agency": _("该单位不是本考核周期的被评议单位。")})
    if kind not in Inspection.Kind.values:
        raise ValidationError({"kind": _("请选择检查类型：专项检查或暗访。")})
    _refuse_date(cycle, held_on)
    texts = {
        "place": clean_text(place, label=_("地点"), max_length=200, field="place"),
        "inspectors": clean_text(
            inspectors, label=_("检查人员"), max_length=200, field="inspectors"
        ),
        "findings": clean_text(findings, label=_("发现的问题"), max_length=5000, field="findings"),
    }
    checked = check_photos(photos)
    inspection = Inspection(
        cycle=cycle, agency=agency, kind=kind, held_on=held_on, recorded_by=actor, **texts
    )
    inspection.full_clean()
    inspection.save()
    for item in checked:
        photo = InspectionPhoto(
            inspection=inspection,
            name=item.original_name,
            size=item.size,
            content_type=item.content_type,
        )
        # The stored name is random: the original one is kept only as a label.
        photo.file.save(f"{uuid.uuid4().hex}.{item.extension}", item.upload, save=False)
        photo.full_clean()
        photo.save()
    CycleEvent.objects.create(
        cycle=cycle,
        kind=CycleEvent.Kind.INSPECTION,
        actor=actor,
        agency=agency,
        note=_("%(kind)s，%(date)s，%(place)s，照片 %(count)s 张。")
        % {
            "kind": inspection.get_kind_display(),
            "date": held_on.isoformat(),
            "place": inspection.place,
            "count": len(checked),
        },
    )
    return inspection
