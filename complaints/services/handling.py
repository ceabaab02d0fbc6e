"""R17: handling an accepted complaint, from assignment to the feedback and the rating.

The handler asks the agency complained about for a written response, records investigation
steps (internal) and progress (told to the complainant), may extend the period once with a
reason the complainant sees, and closes with a structured result that accountability reads.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.recipients import agency_staff_emails
from portal.roles import Role, role_of
from portal.scoping import can_act_for
from portal.text import clean_text
from workdays.deadlines import add_working_days

from .. import uploads
from ..models import AgencyRequest, Attachment, Complaint, ComplaintEvent, Notification, Result
from ..privacy import supervises
from .channels import channel_for, handling_deadline
from .notifications import notify, notify_complainant
from .permissions import complaint_check_permission
from .register import store_files
from .steps import complaint_check_state

# Local defaults, not the policy's (§ 五(三) fixes no such periods), used where no channel of
# the complaint's region or a region above it sets its own (ComplaintChannel).
AGENCY_RESPONSE_WORKING_DAYS = 10  # what the agency is given to answer in writing
DEFAULT_EXTENSION_DAYS = 30


def _in_handling(complaint: Complaint, actor) -> Complaint:
    complaint = Complaint.objects.select_for_update().select_related("region").get(pk=complaint.pk)
    complaint_check_permission(actor=actor, complaint=complaint, action="step")
    complaint_check_state(complaint, "step")
    return complaint


def _save(complaint: Complaint, actor) -> None:
    complaint.full_clean(exclude=["access_code_hash"])
    complaint._history_user = actor
    complaint.save()


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor, handler) -> Complaint:
    """Give an accepted complaint to a handler: a supervisor whose region covers it."""
    complaint = _in_handling(complaint, actor)
    complaint_check_permission(actor=actor, complaint=complaint, action="assign")
    if not (role_of(handler) == Role.SUPERVISOR and supervises(handler, complaint)):
        raise ValidationError({"handler": _("承办人须为本辖区的政府法制监督人员。")})
    complaint.handler = handler
    complaint.status = Complaint.Status.HANDLING
    _save(complaint, actor)
    complaint.timeline.create(
        kind=ComplaintEvent.Kind.ASSIGNED, actor=actor, note=handler.name or handler.username
    )
    if handler.email:
        notify(
            key=f"{complaint.pk}:assigned:{handler.pk}",
            complaint=complaint,
            channel=Notification.Channel.EMAIL,
            recipients=[handler.email],
            subject=_("投诉 %(number)s 已交您承办") % {"number": complaint.number},
            body=_("办理期限至 %(due)s。") % {"due": f"{complaint.handling_due:%Y-%m-%d}"},
        )
    return complaint


@transaction.atomic
def complaint_ask_agency(
    *, complaint: Complaint, actor, question: str, share_identity: bool = False
) -> AgencyRequest:
    """Ask the agency complained about for a written response to `question`."""
    complaint = _in_handling(complaint, actor)
    question = clean_text(question, label=_("需说明的事项"), max_length=5000)
    channel = channel_for(complaint)
    days = channel.agency_response_working_days if channel else AGENCY_RESPONSE_WORKING_DAYS
    respond_by = add_working_days(start=timezone.localdate(), days=days)
    request = AgencyRequest(
        complaint=complaint,
        agency=complaint.agency,
        question=question,
        share_identity=bool(share_identity) and not complaint.anonymous,
        respond_by=respond_by.deadline,
        asked_by=actor,
    )
    request.full_clean()
    request._history_user = actor
    request.save()
    _mark_handling(complaint, actor)
    complaint.timeline.create(kind=ComplaintEvent.Kind.AGENCY_ASKED, actor=actor, note=question)
    staff = agency_staff_emails({complaint.agency_id}).get(complaint.agency_id, [])
    notify(
        key=f"request:{request.pk}",
        complaint=complaint,
        channel=Notification.Channel.EMAIL,
        recipients=staff,
        subject=_("请就投诉事项作出书面说明"),
        body=_("请于 %(due)s 前登录平台作出书面说明：%(question)s")
        % {"due": f"{request.respond_by:%Y-%m-%d}", "question": question},
    )
    return request


@transaction.atomic
def agency_request_answer(*, request: AgencyRequest, actor, answer: str) -> AgencyRequest:
    """The agency's written response, by its own staff."""
    request = (
        AgencyRequest.objects.select_for_update().select_related("complaint").get(pk=request.pk)
    )
    if not can_act_for(actor, request.agency):
        raise PermissionDenied(_("只有被投诉单位的工作人员可以作出书面说明。"))
    if request.answered_at is not None:
        raise ValidationError(_("该要求已经答复，不能重复答复。"), code="answered")
    request.answer = clean_text(answer, label=_("书面说明"), max_length=10000)
    request.answered_by, request.answered_at = actor, timezone.now()
    request._history_user = actor
    request.save()
    complaint = request.complaint
    complaint.timeline.create(
        kind=ComplaintEvent.Kind.AGENCY_ANSWERED, actor=actor, note=request.answer
    )
    if complaint.handler and complaint.handler.email:
        notify(
            key=f"request:{request.pk}:answered",
            complaint=complaint,
            channel=Notification.Channel.EMAIL,
            recipients=[complaint.handler.email],
            subject=_("投诉 %(number)s：被投诉单位已作出书面说明") % {"number": complaint.number},
            body=request.answer,
        )
    return request


def _mark_handling(complaint: Complaint, actor) -> None:
    if complaint.status == Complaint.Status.ACCEPTED:
        complaint.status = Complaint.Status.HANDLING
        _save(complaint, actor)


@transaction.atomic
def complaint_record_step(
    *, complaint: Complaint, actor, note: str, public: bool
) -> ComplaintEvent:
    """An investigation step (internal) or a progress note told to the complainant."""
    complaint = _in_handling(complaint, actor)
    note = clean_text(note, label=_("办理情况"), max_length=5000)
    _mark_handling(complaint, actor)
    kind = ComplaintEvent.Kind.PROGRESS if public else ComplaintEvent.Kind.INVESTIGATION
    event = complaint.timeline.create(kind=kind, actor=actor, note=note, public=public)
    if public:
        notify_complainant(
            complaint=complaint,
            key=f"{complaint.pk}:progress:{event.pk}",
            subject=_("您的投诉有新的办理进展"),
            body=note,
        )
    return event


@transaction.atomic
def complaint_request_material(*, complaint: Complaint, actor, note: str) -> Complaint:
    """Ask the complainant for more material, on the tracking page and through its channel."""
    complaint = _in_handling(complaint, actor)
    complaint_check_state(complaint, "material")
    note = clean_text(note, label=_("需补充的材料"), max_length=5000)
    complaint.material_requested = True
    _save(complaint, actor)
    event = complaint.timeline.create(
        kind=ComplaintEvent.Kind.MATERIAL_REQUESTED, actor=actor, note=note, public=True
    )
    notify_complainant(
        complaint=complaint,
        key=f"{complaint.pk}:material:{event.pk}",
        subject=_("请补充投诉材料"),
        body=note,
    )
    return complaint


@transaction.atomic
def complaint_add_material(*, complaint: Complaint, note: str, files=()) -> ComplaintEvent:
    """The complainant's answer to a request for material (from the tracking page)."""
    checked = uploads.check_files(files)
    note = clean_text(note, label=_("补充说明"), max_length=5000)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not complaint.material_requested:
        raise ValidationError(_("目前没有需要补充的材料。"), code="not_requested")
    saved = []
    try:
        complaint.material_requested = False
        complaint.save(update_fields=["material_requested"])
        event = complaint.timeline.create(
            kind=ComplaintEvent.Kind.MATERIAL_ADDED, note=note, public=True
        )
        store_files(checked, saved, complaint=complaint, event=event)
        Attachment.objects.bulk_create(saved)
    except BaseException:
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return event


@transaction.atomic
def complaint_extend(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Extend the handling period once, with a reason the complainant sees."""
    complaint = _in_handling(complaint, actor)
    complaint_check_state(complaint, "extend")
    complaint.extension_reason = clean_text(reason, label=_("延期理由"), max_length=500)
    channel = channel_for(complaint)
    complaint.extension_days = channel.extension_days if channel else DEFAULT_EXTENSION_DAYS
    if not complaint.extension_days:
        # Zero days would mark the complaint extended without moving its deadline.
        raise ValidationError(_("本机关未规定延长期限，办理期限不能延长。"), code="no_extension")
    due = handling_deadline(complaint)
    complaint.handling_due, complaint.handling_provisional = due.deadline, due.provisional
    complaint.due_on = due.deadline
    complaint.reminded_on = complaint.escalated_on = None
    _save(complaint, actor)
    told = _("办理期限延长至 %(due)s。理由：%(reason)s") % {
        "due": f"{due.deadline:%Y-%m-%d}",
        "reason": complaint.extension_reason,
    }
    complaint.timeline.create(
        kind=ComplaintEvent.Kind.EXTENDED, actor=actor, public=True, note=told
    )
    notify_complainant(
        complaint=complaint,
        key=f"{complaint.pk}:extended",
        subject=_("投诉办理期限延长"),
        body=told,
    )
    return complaint


@transaction.atomic
def complaint_close(
    *, complaint: Complaint, actor, result: str, measures: str, feedback: str
) -> Complaint:
    """R17: closed with the finding, the measures taken and the feedback to the complainant."""
    complaint = _in_handling(complaint, actor)
    if result not in Result.values:
        raise ValidationError({"result": _("请选择核查结论。")})
    complaint.result = result
    complaint.measures = (
        clean_text(measures, label=_("处理措施"), max_length=5000)
        if result != Result.NOT_SUBSTANTIATED
        else ((measures or "").strip()[:5000])
    )
    complaint.feedback = clean_text(feedback, label=_("反馈意见"), max_length=5000)
    complaint.status = Complaint.Status.CLOSED
    complaint.closed_at = timezone.now()
    complaint.due_on = None
    complaint.material_requested = False
    _save(complaint, actor)
    told = _("核查结论：%(result)s。%(feedback)s") % {
        "result": complaint.get_result_display(),
        "feedback": complaint.feedback,
    }
    complaint.timeline.create(kind=ComplaintEvent.Kind.CLOSED, actor=actor, public=True, note=told)
    notify_complainant(
        complaint=complaint,
        key=f"{complaint.pk}:closed",
        subject=_("您的投诉已办结"),
        body=told,
    )
    return complaint


@transaction.atomic
def complaint_refer(*, complaint: Complaint, actor, note: str) -> Complaint:
    """Send a substantiated complaint on to accountability (R26, R27 read `result`)."""
    complaint = Complaint.objects.select_for_update().select_related("region").get(pk=complaint.pk)
    complaint_check_permission(actor=actor, complaint=complaint, action="refer")
    complaint_check_state(complaint, "refer")
    complaint.referred_at = timezone.now()
    _save(complaint, actor)
    complaint.timeline.create(
        kind=ComplaintEvent.Kind.REFERRED,
        actor=actor,
        note=clean_text(note, label=_("移送说明"), max_length=5000),
    )
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    """The complainant rates the handling once it is closed (1 to 5)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != Complaint.Status.CLOSED:
        raise ValidationError(_("投诉办结后才能评价。"), code="not_closed")
    if complaint.rating is not None:
        raise ValidationError(_("您已经评价过了。"), code="rated")
    if type(rating) is not int or not 1 <= rating <= 5:  # noqa: E721 - True is an int too
        raise ValidationError({"rating": _("请选择 1 至 5 分。")})
    complaint.rating = rating
    complaint.rating_comment = (comment or "").strip()[:500]
    complaint.rated_at = timezone.now()
    complaint.save(update_fields=["rating", "rating_comment", "rated_at"])
    complaint.timeline.create(
        kind=ComplaintEvent.Kind.RATED,
        public=True,
        note=_("%(rating)s 分。%(comment)s")
        % {"rating": rating, "comment": complaint.rating_comment},
    )
    return complaint
