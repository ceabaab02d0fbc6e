"""R31: the annual implementation report of a region: opened once a region a year by a supervisor
of the region or above, its narratives written section by section (every save a new version,
the old ones kept), and every download recorded on its timeline (who took which file, when).
The figures are never stored: they are read for each page and file (`selectors.reports`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from enforcement.models import Region
from portal.text import clean_text

from ..models import AnnualReport, Narrative, ReportEvent, Section
from ..models.plans import YEAR_MAX, YEAR_MIN
from .permissions import report_may_edit, report_may_read

NARRATIVE_MAX = 10000
BOUNDS = {"min": YEAR_MIN, "max": YEAR_MAX}


def _year(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(
            {
                "year": _("年度应为 %(min)s 至 %(max)s 之间的年份。")
                % {"min": YEAR_MIN, "max": YEAR_MAX}
            },
            code="bad_year",
        )
    return value


@transaction.atomic
def report_open(*, region: Region, year, actor) -> AnnualReport:
    """R31: the report of `region` for `year`, made if it is not there yet (one a region a year)."""
    if not isinstance(region, Region) or not report_may_edit(actor, region):
        raise PermissionDenied(_("所选地区不在您的监督范围内，不能生成该地区的报告。"))
    year = _year(year)
    existing = AnnualReport.objects.filter(region=region, year=year).first()
    if existing is not None:
        return existing
    report = AnnualReport(region=region, year=year, created_by=actor)
    report.full_clean(validate_constraints=False)
    report._history_user = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # opened at the same moment by a colleague
        return AnnualReport.objects.get(region=region, year=year)
    ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.OPENED, actor=actor)
    return report


@transaction.atomic
def narrative_save(*, report: AnnualReport, section: str, text, actor) -> Narrative | None:
    """R31: a new version of a section's narrative (plain text; script markup and formulas are
    refused). The same text as the current version adds nothing; None is returned."""
    report = AnnualReport.objects.select_for_update().select_related("region").get(pk=report.pk)
    if not report_may_edit(actor, report.region):
        raise PermissionDenied(_("只有本地区或上级政府法制监督人员可以编辑报告。"))
    if section not in Section.values:
        raise ValidationError({"section": _("报告没有该章节。")}, code="bad_section")
    label = Section(section).label
    text = clean_text(text, label=label, max_length=NARRATIVE_MAX, required=False, field="text")
    current = report.narratives.filter(section=section).order_by("-version").first()
    if current is not None and current.text == text:
        return None
    narrative = Narrative(
        report=report,
        section=section,
        version=(current.version + 1) if current else 1,
        text=text,
        written_by=actor,
    )
    narrative.full_clean(validate_constraints=False)
    narrative.save()
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.NARRATIVE,
        actor=actor,
        note=_("%(section)s（第 %(version)s 版）")
        % {"section": label, "version": narrative.version},
    )
    return narrative


def report_download_record(*, report: AnnualReport, kind: str, actor) -> ReportEvent:
    """The audit trail of a download: who took the Word, PDF or Excel file of the report."""
    if not report_may_read(actor, report.region):
        raise PermissionDenied(_("您无权下载该报告。"))
    return ReportEvent.objects.create(report=report, kind=kind, actor=actor)
