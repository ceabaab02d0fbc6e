"""R33: the implementation plans. A plan is made for a year by its keeper (a department's staff
for the department, a region's supervisor for the government); items are added with a due date,
a responsible body and a checkable output, and marked done with their evidence (a note, a file
checked by its content, or both); a problem is reported as it arises and goes to the supervisors
above, who answer it. Each write is checked before anything is written, keeps its history with
the actor and adds a row to the plan's timeline; a refusal changes nothing.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.models import Agency, Region
from portal.recipients import supervisor_emails
from portal.roles import Role, role_of
from portal.scoping import can_act_for
from portal.text import clean_text
from portal.uploads import MIB, check_file

from ..models import Plan, PlanEvent, PlanItem, PlanProblem
from ..models.plans import YEAR_MAX, YEAR_MIN
from .permissions import plan_may_keep, problem_may_answer

EVIDENCE_LIMITS = {"document": 20 * MIB, "image": 10 * MIB}
TEXT_MAX = 4000


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


def _event(plan, kind, actor, note="", item=None) -> PlanEvent:
    return PlanEvent.objects.create(plan=plan, kind=kind, actor=actor, note=note, item=item)


def _locked_plan(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("region", "agency")
        .get(pk=plan.pk)
    )


@transaction.atomic
def plan_create(*, year, title, actor, agency: Agency | None = None) -> Plan:
    """R33: a department's plan (`agency`, kept by its staff) or, without an agency, the plan of
    the government of the actor's region (kept by its supervisors); one an owner a year."""
    if agency is not None:
        if not can_act_for(actor, agency):
            raise PermissionDenied(_("只有本部门的工作人员可以制定本部门的实施方案。"))
        region = agency.region
    else:
        if role_of(actor) != Role.SUPERVISOR or not actor.region_id:
            raise PermissionDenied(_("只有政府法制监督人员可以制定本级政府的实施方案。"))
        region = Region.objects.get(pk=actor.region_id)
    year = _year(year)
    title = clean_text(title, label=_("方案名称"), max_length=200, field="title")
    owner = {"agency": agency} if agency is not None else {"region": region, "agency": None}
    if Plan.objects.filter(year=year, **owner).exists():
        raise ValidationError(
            {"year": _("%(year)s 年度的实施方案已经制定，请在原方案中添加任务。") % {"year": year}},
            code="duplicate",
        )
    plan = Plan(region=region, agency=agency, year=year, title=title, created_by=actor)
    plan.full_clean(validate_constraints=False)
    plan._history_user = actor
    plan.save()
    _event(plan, PlanEvent.Kind.CREATED, actor, note=title)
    return plan


@transaction.atomic
def plan_item_add(*, plan: Plan, task, responsible, output, due, actor) -> PlanItem:
    """R33: a milestone with its timetable (due date within the plan's year or later), the
    responsible body and the checkable output that proves it done."""
    plan = _locked_plan(plan)
    if not plan_may_keep(actor, plan):
        raise PermissionDenied(_("只有方案的制定单位可以添加任务。"))
    errors = {}
    values = {}
    for field, label, max_length in (
        ("task", _("任务措施"), 1000),
        ("responsible", _("责任单位"), 200),
        ("output", _("可检验成果"), 500),
    ):
        try:
            values[field] = clean_text(
                {"task": task, "responsible": responsible, "output": output}[field],
                label=label,
                max_length=max_length,
                field=field,
            )
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if not isinstance(due, datetime.date) or isinstance(due, datetime.datetime):
        errors["due"] = [_("请填写完成时限（日期）。")]
    elif due.year < plan.year:
        errors["due"] = [_("完成时限不能早于方案年度（%(year)s 年）。") % {"year": plan.year}]
    if errors:
        raise ValidationError(errors)
    item = PlanItem(plan=plan, due=due, created_by=actor, **values)
    item.full_clean()
    item._history_user = actor
    item.save()
    _event(plan, PlanEvent.Kind.ITEM_ADDED, actor, note=values["task"][:500], item=item)
    return item


@transaction.atomic
def plan_item_complete(*, item: PlanItem, note, file, actor) -> PlanItem:
    """R33: the keeper marks a milestone done with what proves it (a note, a document or photo
    checked by its content, or both); once only."""
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan__region", "plan__agency")
        .get(pk=item.pk)
    )
    if not plan_may_keep(actor, item.plan):
        raise PermissionDenied(_("只有方案的制定单位可以确认任务完成。"))
    if item.status == PlanItem.Status.DONE:
        raise ValidationError(_("该任务已经确认完成，不能重复办理。"), code="done")
    note = clean_text(
        note, label=_("完成情况说明"), max_length=TEXT_MAX, required=False, field="note"
    )
    checked = None
    if file:
        try:
            checked = check_file(file, limits=EVIDENCE_LIMITS)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}, code="bad_file") from None
    if not note and checked is None:
        raise ValidationError(
            {"note": _("请填写完成情况说明或上传佐证材料，说明可检验成果已经形成。")},
            code="no_evidence",
        )
    item.status = PlanItem.Status.DONE
    item.done_at, item.done_by, item.evidence_note = timezone.now(), actor, note
    if checked is not None:
        item.evidence_file.save(f"evidence.{checked.extension}", checked.upload, save=False)
    item.full_clean()
    item._history_user = actor
    item.save()
    _event(
        item.plan,
        PlanEvent.Kind.ITEM_DONE,
        actor,
        note=(note or _("已上传佐证材料。"))[:500],
        item=item,
    )
    return item


def _tell_supervisors(problem: PlanProblem) -> None:
    plan = problem.plan
    path = plan.region.path
    if not plan.agency_id:  # a government reports to the government above
        path = path[: path.rstrip("/").rfind("/") + 1]
    recipients = supervisor_emails({path}).get(path, []) if path else []
    if not recipients:
        return
    subject = _("【实施方案问题报告】%(owner)s") % {"owner": plan.owner_name}
    body = _("%(owner)s在落实《%(title)s》中报告了问题：\n\n%(text)s\n\n请登录平台答复。") % {
        "owner": plan.owner_name,
        "title": plan.title,
        "text": problem.description,
    }
    message = (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    transaction.on_commit(lambda: send_mass_mail([message], fail_silently=True))


@transaction.atomic
def plan_problem_report(*, plan: Plan, description, actor, item: PlanItem | None = None):
    """R33: the keeper reports a problem as it arises; it reaches the supervisors above (their
    list of problems to answer, and an e-mail)."""
    plan = _locked_plan(plan)
    if not plan_may_keep(actor, plan):
        raise PermissionDenied(_("只有方案的制定单位可以报告问题。"))
    if not plan.agency_id and plan.region.parent_id is None:
        raise ValidationError(_("省级政府的实施方案没有上级监督机关，问题请在本级研究解决。"))
    if item is not None and item.plan_id != plan.pk:
        raise ValidationError({"item": _("所选任务不属于该实施方案。")}, code="bad_item")
    description = clean_text(
        description, label=_("问题描述"), max_length=TEXT_MAX, field="description"
    )
    problem = PlanProblem(plan=plan, item=item, description=description, reported_by=actor)
    problem.full_clean()
    problem._history_user = actor
    problem.save()
    _event(plan, PlanEvent.Kind.PROBLEM_REPORTED, actor, note=description[:500], item=item)
    _tell_supervisors(problem)
    return problem


@transaction.atomic
def plan_problem_answer(*, problem: PlanProblem, answer, actor) -> PlanProblem:
    """R33: the supervisor above answers a reported problem, once."""
    problem = (
        PlanProblem.objects.select_for_update(of=("self",))
        .select_related("plan__region", "plan__agency")
        .get(pk=problem.pk)
    )
    if not problem_may_answer(actor, problem):
        raise PermissionDenied(_("只有上级政府法制监督人员可以答复该问题。"))
    if problem.status == PlanProblem.Status.ANSWERED:
        raise ValidationError(_("该问题已经答复。"), code="answered")
    answer = clean_text(answer, label=_("答复意见"), max_length=TEXT_MAX, field="answer")
    problem.status = PlanProblem.Status.ANSWERED
    problem.answer, problem.answered_by, problem.answered_at = answer, actor, timezone.now()
    problem.full_clean()
    problem._history_user = actor
    problem.save()
    _event(
        problem.plan, PlanEvent.Kind.PROBLEM_ANSWERED, actor, note=answer[:500], item=problem.item
    )
    return problem
