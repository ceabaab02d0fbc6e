"""The demo accountability (责任追究, R12, R13, R18, R24–R29, R32) of 松江市: a clue in every
state and a case in every step, written through `accountability.services` as the pages would
write them, by the personas of `load_demo_data`.

- registered, not yet assigned: a newspaper's report on the transport detachment (媒体曝光);
- in handling, no case yet: a citizen's report on the same detachment (举报);
- a case in handling: the file review of the market regulator's archived case (案卷评查), the
  responsibility proposed along that case's own record (R25), the investigation recorded;
- a case in its notice step: last year's unannounced visit to the city management bureau (暗访),
  its report submitted (R28), the notices not yet sent;
- a case awaiting its decision: a referral of the supervision commission (监察机关移送, R12)
  against the market regulator and inspector_a's officer, whose defence period is open (R29):
  inspector_a can answer it;
- a case decided and awaiting its transfer's receipt: an audit referral (审计移送) against the
  market regulator, the unit's defence submitted by its legal office;
- a case closed: the substantiated complaint of an officer pushing an elderly vendor (投诉核查属实)
  referred to accountability; the officer (officer_cg, his own login) submitted his defence, the
  unit waived its own; the decision, inside the proposed band, suspended his certificate
  through the officers' service; transferred to the supervision commission with its receipt;
  published, anonymised, as a typical case (R18) and circulated, and used in a training
  session (R32);
- a reverse-traced clue (R27): the complaint acknowledged late, once substantiated and referred,
  opens a second clue linked to its original.

Loaded once: when 松江市 has a clue, nothing is added.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from assessment.models import Inspection
from complaints.models import Complaint
from enforcement.demo.cases import pdf
from enforcement.models import Agency, CaseFileReview, Officer, Region

from .models import (
    Clue,
    Consequence,
    Fault,
    Impact,
    Proceeding,
    SanctionKind,
    TrainingSession,
    Transfer,
    TypicalCase,
)
from .services.clues import clue_assign, clue_register
from .services.decisions import decision_make
from .services.defences import defence_submit, defence_waive, notice_send
from .services.intake import clue_from_complaint
from .services.proceedings import evidence_add, proceeding_investigate, proceeding_open
from .services.reports import report_submit
from .services.training import training_record
from .services.transfers import transfer_close, transfer_receipt, transfer_send
from .services.typical import typical_approve, typical_circulate, typical_draft, typical_submit

CITY = "990100"
# The demo complaints (complaints.demo) the clues come from.
PUSHED_VENDOR = "demo-complaint-closed"  # substantiated: the officer pushed an elderly vendor
LATE_ACKNOWLEDGED = "demo-complaint-late"  # substantiated, acknowledged past its deadline


@dataclass(frozen=True)
class Personas:
    supervisor: object  # city_supervisor: registers, assigns, opens, decides, approves
    handler: object  # city_handler: handles the clues and cases (outside the units concerned)
    staff: object  # inspector_a: speaks for 松江市市场监督管理局; his officer is accused
    legal_office: object  # legal_office_a: the market regulator's defence as a unit
    officer: object  # officer_cg: the city management officer held to account, his own login


def load_accountability(*, agencies: dict[str, Agency], personas: Personas) -> bool:
    """Every story above; returns False (and adds nothing) when 松江市 already has a clue."""
    city = Region.objects.get(code=CITY)
    if Clue.objects.filter(region=city).exists():
        return False
    p = personas
    _registered(city, agencies, p)
    _handling(city, agencies, p)
    _case_in_handling(city, agencies, p)
    _case_in_notice(city, agencies, p)
    _case_awaiting_decision(city, agencies, p)
    _case_awaiting_receipt(city, agencies, p)
    closed = _case_closed(agencies, p)
    _typical_case(closed, city, agencies, p)
    _reverse_traced(p)
    return True


def link_officer(user, agency: Agency) -> Officer:
    """The officer held to account answers through his own login: officer_cg's login is the city
    management bureau's first officer with a valid certificate. Enforcement has no service for
    the link (as assessment.demo links inspector_a); the registry keeps its history."""
    officer = (
        Officer.objects.filter(user=user).first()
        or agency.officers.filter(certificate_status=Officer.CertificateStatus.VALID)
        .order_by("certificate_number")
        .first()
    )
    if officer.user_id != user.pk:
        officer.user = user
        officer.full_clean()
        officer.save(update_fields=["user"])
    return officer


# --- the clues and cases ------------------------------------------------------------------------


def _register(city, agency, p, **fields) -> Clue:
    return clue_register(
        region=city,
        agency=agency,
        actor=p.supervisor,
        received_on=fields.pop("received_on", localdate()),
        **fields,
    )


def _registered(city, agencies, p) -> Clue:
    today = localdate()
    return _register(
        city,
        agencies["jt-990100"],
        p,
        source=Clue.Source.MEDIA,
        summary="《松江日报》报道：渣土车夜间超载抛洒，群众多次举报，交通运输综合行政执法支队"
        "未到场处理，涉嫌不作为。",
        received_on=today - timedelta(days=2),
        external_body="松江日报社",
        external_reference=f"《松江日报》{today:%Y}年第 {today.timetuple().tm_yday} 期",
        external_date=today - timedelta(days=3),
    )


def _handling(city, agencies, p) -> Clue:
    clue = _register(
        city,
        agencies["jt-990100"],
        p,
        source=Clue.Source.REPORT,
        summary="群众举报：交通运输综合行政执法支队执法人员对同一路段的超限货车选择性处罚，"
        "对部分车辆只登记不处罚。",
        received_on=localdate() - timedelta(days=1),
        external_body="群众来信",
    )
    return clue_assign(clue=clue, handler=p.handler, actor=p.supervisor)


def _open(clue: Clue, p, **extra) -> Proceeding:
    clue = clue_assign(clue=clue, handler=p.handler, actor=p.supervisor)
    return proceeding_open(clue=clue, actor=p.supervisor, **extra)


def _case_in_handling(city, agencies, p) -> Proceeding:
    """R25: the archived case's file review as a clue; the case's officers and unit concerned;
    the shares proposed from the record, awaiting the handler's confirmation."""
    agency = agencies["scj-990100"]
    review = CaseFileReview.objects.filter(case__agency=agency).order_by("pk").first()
    case = review.case
    clue = _register(
        city,
        agency,
        p,
        source=Clue.Source.FILE_REVIEW,
        summary="案卷评查发现：现场照片未注明拍摄人，取证程序不规范，需查明各办案环节的责任。",
        file_review=review,
        officers=[co.officer for co in case.case_officers.select_related("officer")],
    )
    proceeding = _open(clue, p)
    return proceeding_investigate(
        proceeding=proceeding,
        investigation="调取了案卷及执法记录仪视频，询问了两名承办执法人员；现场照片系执法辅助"
        "人员拍摄，未按规定注明拍摄人和拍摄时间。",
        actor=p.handler,
    )


def _report(proceeding, p, *, fault, consequence, impact, kinds: dict, facts: str, conduct: str):
    """The handler's report; `kinds`: "unit" or an officer's pk -> the proposed sanction."""
    proposals = {}
    for one in proceeding.accused.all():
        kind = kinds["unit" if one.is_unit else one.officer_id]
        proposals[one.pk] = (True, kind, "")
    return report_submit(
        proceeding=proceeding,
        facts=facts,
        fault=fault,
        conduct=conduct,
        consequence=consequence,
        impact=impact,
        mitigating="",
        aggravating="",
        good_faith=False,
        proposals=proposals,
        actor=p.handler,
    )


def _case_in_notice(city, agencies, p) -> Proceeding:
    """Last year's unannounced visit as a clue against the unit; the report submitted."""
    agency = agencies["cg-990100"]
    visit = (
        Inspection.objects.filter(agency=agency, kind=Inspection.Kind.UNANNOUNCED)
        .order_by("held_on", "pk")
        .first()
    )
    clue = _register(
        city,
        agency,
        p,
        source=Clue.Source.INSPECTION,
        summary="暗访发现：执法人员未按规定佩戴执法证件，现场处置未全程记录，对同类占道经营"
        "选择性处理。",
        inspection=visit,
    )
    proceeding = _open(clue, p)
    proceeding_investigate(
        proceeding=proceeding,
        investigation="调阅暗访记录及该局执法记录仪管理台账，执法记录仪配备不足、使用制度未落实。",
        actor=p.handler,
    )
    _report(
        proceeding,
        p,
        fault=Fault.NEGLIGENCE,
        consequence=Consequence.MINOR,
        impact=Impact.SLIGHT,
        kinds={"unit": SanctionKind.RECTIFICATION},
        facts="该局执法记录仪配备不足，全过程记录制度未落实，暗访中发现的问题属实。",
        conduct="单位对执法全过程记录制度落实不力。",
    )
    return proceeding


def _case_awaiting_decision(city, agencies, p) -> Proceeding:
    """R12: the supervision commission's referral; the notices sent, the defence period of
    inspector_a's officer and of his unit open (R29)."""
    agency = agencies["scj-990100"]
    officer = Officer.objects.get(user=p.staff)
    clue = _register(
        city,
        agency,
        p,
        source=Clue.Source.SUPERVISION,
        summary="松江市监察委员会移送：市场监督管理局执法人员在食品抽检中未按规定告知当事人"
        "复检权利，致当事人丧失复检机会。",
        external_body="松江市监察委员会",
        external_reference=f"松监移〔{localdate():%Y}〕3号",
        external_date=localdate() - timedelta(days=1),
        officers=[officer],
    )
    proceeding = _open(clue, p)
    proceeding_investigate(
        proceeding=proceeding,
        investigation="核查抽检文书，抽检结果告知书未载明复检权利及期限。",
        actor=p.handler,
    )
    _report(
        proceeding,
        p,
        fault=Fault.NEGLIGENCE,
        consequence=Consequence.MINOR,
        impact=Impact.BAD,
        kinds={officer.pk: SanctionKind.CRITICISM, "unit": SanctionKind.RECTIFICATION},
        facts="抽检结果告知书未载明复检权利及期限，当事人未能申请复检。",
        conduct="执法人员未履行告知义务。",
    )
    notice_send(
        proceeding=proceeding,
        notice="经调查，抽检结果告知书未载明复检权利及期限。拟对执法人员批评教育，"
        "责令该局限期整改。请于期限内提交书面陈述申辩意见。",
        actor=p.handler,
    )
    return proceeding


def _case_awaiting_receipt(city, agencies, p) -> Proceeding:
    """An audit referral against the unit; its defence submitted, decided (circulated
    criticism) and transferred to the supervision commission, the receipt awaited."""
    agency = agencies["scj-990100"]
    clue = _register(
        city,
        agency,
        p,
        source=Clue.Source.AUDIT,
        summary="松江市审计局移送：市场监督管理局部分罚没款未按期上缴国库，存在坐收坐支。",
        external_body="松江市审计局",
        external_reference=f"松审移〔{localdate():%Y}〕8号",
        external_date=localdate() - timedelta(days=2),
    )
    proceeding = _open(clue, p)
    proceeding_investigate(
        proceeding=proceeding,
        investigation="核对罚没款收缴台账与国库入库凭证，三笔罚没款延迟四十余日上缴。",
        actor=p.handler,
    )
    _report(
        proceeding,
        p,
        fault=Fault.GROSS_NEGLIGENCE,
        consequence=Consequence.MINOR,
        impact=Impact.BAD,
        kinds={"unit": SanctionKind.CIRCULATED},
        facts="三笔罚没款未按期上缴国库，延迟四十余日。",
        conduct="单位罚没款管理制度不落实。",
    )
    (defence,) = notice_send(
        proceeding=proceeding,
        notice="经调查，该局三笔罚没款未按期上缴国库。拟予通报批评，并移送监察机关。",
        actor=p.handler,
    )
    defence_submit(
        defence=defence,
        statement="延迟上缴系财务人员调整期间交接不畅所致，款项已全部上缴，未被挪用。",
        actor=p.legal_office,
    )
    _decide(
        proceeding,
        p,
        kinds={"unit": SanctionKind.CIRCULATED},
        reasons="罚没款未按期上缴属实，已全部补缴；予以通报批评，涉嫌违纪问题移送监察机关。",
    )
    transfer_send(
        proceeding=proceeding,
        body=Transfer.Body.SUPERVISION,
        body_name="松江市监察委员会",
        reason="罚没款延迟上缴，相关人员涉嫌违反财经纪律。",
        sent_on=localdate(),
        actor=p.handler,
    )
    return proceeding


def _decide(proceeding, p, *, kinds: dict, reasons: str):
    sanctions = {
        one.pk: {"responsible": True, "kind": kinds["unit" if one.is_unit else one.officer_id]}
        for one in proceeding.accused.all()
    }
    return decision_make(
        proceeding=proceeding,
        reasons=reasons,
        transfer_needed=True,
        sanctions=sanctions,
        actor=p.supervisor,
    )


def _case_closed(agencies, p) -> Proceeding:
    """The substantiated complaint referred as a clue; decided inside the band (R28), the
    certificate suspended; transferred with its receipt, then closed."""
    agency = agencies["cg-990100"]
    officer = link_officer(p.officer, agency)
    complaint = Complaint.objects.get(submission_token=PUSHED_VENDOR)
    clue = clue_from_complaint(
        complaint=complaint,
        note="投诉核查属实：城市管理执法人员清理占道经营时推搡老年摊贩致其摔倒，移送责任追究。",
        actor=p.supervisor,
    )
    proceeding = _open(clue, p, officers=[officer])
    proceeding_investigate(
        proceeding=proceeding,
        investigation="调取执法记录仪视频，询问当事摊贩、两名目击群众及执法人员本人；执法人员在"
        "摊贩拒绝收摊时推搡其肩部，致其摔倒、手腕擦伤。",
        actor=p.handler,
    )
    evidence_add(
        proceeding=proceeding,
        upload=SimpleUploadedFile(
            "询问笔录.pdf", pdf(f"accountability-{proceeding.pk}"), content_type="application/pdf"
        ),
        description="当事摊贩询问笔录",
        actor=p.handler,
    )
    kinds = {officer.pk: SanctionKind.SUSPENSION, "unit": SanctionKind.CIRCULATED}
    _report(
        proceeding,
        p,
        fault=Fault.GROSS_NEGLIGENCE,
        consequence=Consequence.SERIOUS,
        impact=Impact.BAD,
        kinds=kinds,
        facts="执法人员在清理占道经营时推搡老年摊贩致其摔倒受伤，视频在网络传播。",
        conduct="执法方式粗暴，违反文明执法规范。",
    )
    defences = notice_send(
        proceeding=proceeding,
        notice="经调查，你在清理占道经营时推搡老年摊贩致其摔倒受伤。拟暂扣执法证件，"
        "对该局通报批评，并移送监察机关。",
        actor=p.handler,
    )
    for defence in defences:
        if defence.accused.is_unit:
            defence_waive(
                defence=defence,
                waiver="本局对调查认定的事实无异议，放弃陈述申辩。",
                actor=p.officer,
            )
        else:
            defence_submit(
                defence=defence,
                statement="当时摊贩情绪激动，本人意在制止其掀翻摊位，并无伤人故意；事后已向其"
                "道歉并支付医药费。",
                actor=p.officer,
            )
    _decide(
        proceeding,
        p,
        kinds=kinds,
        reasons="推搡摊贩致其受伤属实，当事人事后道歉赔偿，在建议档次内暂扣其执法证件；"
        "对该局通报批评；移送监察机关依规处理。",
    )
    transfer = transfer_send(
        proceeding=proceeding,
        body=Transfer.Body.SUPERVISION,
        body_name="松江市监察委员会",
        reason="执法人员粗暴执法致群众受伤，移送监察机关依法处置。",
        sent_on=localdate(),
        actor=p.handler,
    )
    transfer_receipt(
        transfer=transfer,
        receipt_on=localdate(),
        receipt_number=f"松监收〔{localdate():%Y}〕21号",
        actor=p.handler,
    )
    return transfer_close(proceeding=proceeding, actor=p.handler)


def _typical_case(proceeding, city, agencies, p) -> TrainingSession:
    """R18, R32: drafted by the handler, approved by the supervisor, circulated, used in a
    case seminar attended by the city's market and city management officers."""
    typical = typical_draft(
        proceeding=proceeding,
        title="松江市某执法人员清理占道经营时推搡老年摊贩被暂扣执法证件案",
        facts="某日，松江市城市管理行政执法局执法人员在清理占道经营时，因摊贩拒绝收摊，"
        "推搡一名老年摊贩致其摔倒受伤，视频在网络传播，造成不良影响。经投诉核查属实，"
        "移送责任追究。",
        analysis="执法人员面对抵触情绪未能依法文明处置，以推搡代替说服教育，违反文明执法规范；"
        "该局对执法人员文明执法的教育管理不到位。",
        lesson="严格规范公正文明执法，是行政执法的基本要求。执法人员应当依法履职、文明执法，"
        "不得以粗暴方式对待行政相对人。",
        actor=p.handler,
    )
    typical = typical_submit(typical=typical, actor=p.handler)
    typical = typical_approve(typical=typical, actor=p.supervisor)
    typical = typical_circulate(
        typical=typical, notice_number=f"松司通〔{localdate():%Y}〕5号", actor=p.supervisor
    )
    attendees = Officer.objects.filter(
        agency__in=[agencies["cg-990100"], agencies["scj-990100"]]
    ).order_by("certificate_number")
    return training_record(
        region=city,
        kind=TrainingSession.Kind.SEMINAR,
        title="以案释法：文明执法典型案例研讨",
        held_on=localdate(),
        cases=[typical],
        attendees=attendees,
        actor=p.supervisor,
    )


def _reverse_traced(p) -> Clue:
    """R27: the complaint acknowledged past its deadline becomes a clue; tracing its history
    opens a second clue against who acknowledged it late, linked to the first."""
    complaint = Complaint.objects.get(submission_token=LATE_ACKNOWLEDGED)
    return clue_from_complaint(
        complaint=complaint,
        note="投诉核查属实：东城区市场监督管理局对无证餐馆油烟扰民的举报长期不到场处理。",
        actor=p.supervisor,
    )


# --- what the command prints --------------------------------------------------------------------


def summary_lines() -> list[str]:
    """The city's clues and cases by state, as the command prints them (read back, so the
    second run prints the same)."""
    clues = Clue.objects.filter(region__code=CITY)
    if not clues.exists():
        return []
    cases = Proceeding.objects.filter(clue__region__code=CITY)
    clue_states = "，".join(
        f"{label} {clues.filter(status=value).count()}" for value, label in Clue.Status.choices
    )
    case_steps = "，".join(
        f"{label} {cases.filter(step=value).count()}" for value, label in Proceeding.Step.choices
    )
    return [
        f"  线索 {clues.count()} 条（{clue_states}），其中倒查 "
        f"{clues.filter(source__in=[Clue.Source.REVERSE, Clue.Source.OVERDUE]).count()} 条",
        f"  问责案件 {cases.count()} 件（{case_steps}）",
        f"  已发布典型案例 {TypicalCase.objects.filter(status='published').count()} 件，"
        f"以案释法培训 {TrainingSession.objects.filter(region__code=CITY).count()} 次",
    ]
