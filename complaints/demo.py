"""Demo complaint channels (R14): one for every government of the demo province."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from enforcement.demo.subjects import GIVEN, SURNAMES
from enforcement.models import Agency, Region

from . import access_codes
from .models import (
    Category,
    Complaint,
    ComplaintChannel,
    Notification,
    ReceivedVia,
    RefusalReason,
    Result,
)
from .services import decisions, handling
from .services.channels import complaint_channel_save
from .services.register import complaint_register

SCOPE = (
    "本级人民政府所属行政执法部门及其执法人员在行政执法活动中的违法或不当行为，包括慢作为、"
    "不作为、乱作为、不文明执法、选择执法、人情执法、钓鱼执法、利益驱动执法等。\n"
    "已经进入行政复议、行政诉讼程序的事项，以及信访、纪检监察事项，不在受理范围。"
)


def _office(region: Region) -> str:
    if region.level == Region.Level.PROVINCE:
        return f"{region.name}司法厅行政执法监督处"
    if region.level == Region.Level.COMMITTEE:
        return f"{region.name}法制办公室"
    return f"{region.name}司法局行政执法监督科"


def load_channels(*, actor) -> int:
    """A published channel for every demo region that has none yet, and one of a department
    (R14: departments publish theirs too); returns how many."""
    created = 0
    governments = Region.objects.exclude(
        pk__in=ComplaintChannel.objects.filter(agency__isnull=True).values("region")
    )
    for n, region in enumerate(governments, 1):
        complaint_channel_save(
            channel=ComplaintChannel(
                region=region,
                office=_office(region),
                scope=SCOPE,
                email=f"zfjd{region.code}@demo.gov.cn",
                hotline=f"0431-8{region.code[2:6]}{n:03d}",
                postal_address=f"{region.name}人民大街{200 + n}号",
                postcode=region.code,
                office_hours="工作日 8:30—11:30，13:30—17:00",
            ),
            actor=actor,
        )
        created += 1
    department = Agency.objects.filter(name="松江市市场监督管理局").first()
    if department is not None and not ComplaintChannel.objects.filter(agency=department).exists():
        complaint_channel_save(
            channel=ComplaintChannel(
                region=department.region,
                agency=department,
                office="松江市市场监督管理局法规科",
                scope="对本局及所属执法机构行政执法行为的投诉举报",
                hotline="0431-12315",
                email="fgk@scjg.demo.gov.cn",
                postal_address="松江市人民大街88号",
                office_hours="工作日 8:30—11:30，13:30—17:00",
            ),
            actor=actor,
        )
        created += 1
    return created


# --- Demo complaints: one in every state (decided within the 5 working days, but one left
# overdue and one acknowledged late), about agencies of 松江市, each with a FIXED access code
# so that a newcomer can follow one on the public tracking page at once (only digests are
# stored, so the codes must be known in advance). Keyed on a fixed submission token: loading the
# demo again creates nothing.


@dataclass(frozen=True)
class DemoComplaint:
    token: str
    code: str
    agency: str
    category: str
    description: str
    request: str
    received_via: str  # ReceivedVia; "web" is filed by the public (received today)
    received_days_ago: int
    anonymous: bool = False
    steps: tuple[str, ...] = ()  # what happens after registration, in order (see _STEPS)


# fmt: off
DEMO_COMPLAINTS = [
    DemoComplaint(
        "demo-complaint-new", "SJ26-NEWW-DEMA", "scj-990100", Category.UNCIVIL,
        "2026年11月，松江市市场监督管理局执法人员在人民大街农贸市场检查时，对摊主大声呵斥，"
        "并将未过秤的蔬菜扔在地上。", "请求对执法人员批评教育并公开道歉。", ReceivedVia.WEB, 0,
    ),
    DemoComplaint(
        "demo-complaint-accepted", "SJ26-ACPT-DEMA", "cg-990100", Category.SLOW,
        "本人于两个月前向城市管理行政执法局举报小区内违法搭建，至今未见处理，多次电话询问均称"
        "“正在研究”。", "请求依法查处违法搭建，并告知处理结果。", ReceivedVia.PHONE, 2,
        steps=("accept",),
    ),
    DemoComplaint(
        "demo-complaint-refused", "SJ26-REFU-DEMA", "scj-990100", Category.ARBITRARY,
        "对松江市市场监督管理局作出的罚款决定不服，认为罚款过高。本人已于上月申请行政复议。",
        "请求撤销罚款决定。", ReceivedVia.LETTER, 3, steps=("refuse",),
    ),
    DemoComplaint(
        "demo-complaint-transferred", "SJ26-TRAN-DEMA", "jt-990100", Category.PROFIT,
        "反映交通运输综合行政执法支队个别执法人员收受货车司机财物后不予处罚的问题。",
        "请求查处。", ReceivedVia.EMAIL, 1, anonymous=True, steps=("transfer",),
    ),
    DemoComplaint(
        "demo-complaint-handling", "SJ26-HAND-DEMA", "scj-990100", Category.ARBITRARY,
        "松江市市场监督管理局执法人员检查本人经营的小超市时未出示执法证件，当场扣押了全部散装"
        "食品，未出具扣押清单。", "请求确认扣押行为违法并退还扣押物品。", ReceivedVia.WEB, 0,
        steps=("accept", "assign", "ask_agency", "agency_answers", "progress"),
    ),
    DemoComplaint(
        "demo-complaint-closed-rated", "SJ26-CHKD-DEMA", "scj-990102", Category.SELECTIVE,
        "东城区市场监督管理局对同一条街上的多家无证经营店铺只查处本人一家，其余店铺照常营业。",
        "请求一视同仁、依法执法。", ReceivedVia.IN_PERSON, 4,
        steps=("accept", "assign", "progress", "close_substantiated", "rate"),
    ),
    DemoComplaint(
        "demo-complaint-closed", "SJ26-CHKD-DEMB", "cg-990100", Category.UNCIVIL,
        "城市管理执法人员在清理占道经营时推搡老年摊贩，致其摔倒。", "请求查处涉事执法人员。",
        ReceivedVia.PHONE, 3, steps=("accept", "assign", "close_substantiated"),
    ),
    # Acknowledged a month late, then substantiated: accountability's demo refers it and the
    # reverse tracing (R27) opens a clue on the late acknowledgement.
    DemoComplaint(
        "demo-complaint-late", "SJ26-TRCE-DEMA", "scj-990102", Category.SLOW,
        "本人一个多月前举报小区楼下无证餐馆油烟扰民，东城区市场监督管理局迟迟未作答复，"
        "也未到场处理。", "请求依法查处无证餐馆。", ReceivedVia.LETTER, 30,
        steps=("accept", "assign", "close_substantiated"),
    ),
    DemoComplaint(
        "demo-complaint-overdue", "SJ26-PAST-DEMA", "jt-990100", Category.INACTION,
        "多次举报渣土车夜间超载抛洒，交通运输综合行政执法支队均未到场处理。",
        "请求依法查处并建立夜间巡查机制。", ReceivedVia.LETTER, 30,
    ),
]
# fmt: on


def _complainant(n: int, anonymous: bool) -> dict:
    if anonymous:
        return {"anonymous": True}
    surname, given = SURNAMES[n % len(SURNAMES)], GIVEN[n % len(GIVEN)]
    return {
        "complainant_name": f"{surname}{given}",
        "phone": f"139000000{n:02d}",
        "email": f"complainant{n}@example.com",
    }


def _step(step: str, complaint: Complaint, supervisor, staff) -> None:
    if step == "accept":
        decisions.complaint_accept(complaint=complaint, actor=supervisor)
    elif step == "assign":
        handling.complaint_assign(complaint=complaint, actor=supervisor, handler=supervisor)
    elif step == "refuse":
        decisions.complaint_refuse(
            complaint=complaint,
            actor=supervisor,
            reason=RefusalReason.UNDER_REVIEW,
            note="投诉人已就同一事项申请行政复议，请等待复议结果。",
        )
    elif step == "transfer":
        decisions.complaint_transfer(
            complaint=complaint,
            actor=supervisor,
            to="松江市纪委监委",
            note="反映的是执法人员涉嫌收受财物问题，属于纪检监察机关管辖。",
        )
    elif step == "ask_agency":
        handling.complaint_ask_agency(
            complaint=complaint,
            actor=supervisor,
            question="请说明当日检查的执法人员、是否出示执法证件、扣押的依据及扣押清单。",
        )
    elif step == "agency_answers":
        request = complaint.requests.get()
        handling.agency_request_answer(
            request=request,
            actor=staff,
            answer="当日由两名执法人员检查，其中一人未随身携带执法证件；扣押依据为《食品安全法》"
            "第一百一十条，扣押清单已于次日补送。",
        )
    elif step == "progress":
        handling.complaint_record_step(
            complaint=complaint,
            actor=supervisor,
            note="已调阅执法记录仪视频并听取被投诉单位的书面说明，正在核实扣押物品清单。",
            public=True,
        )
    elif step == "close_substantiated":
        handling.complaint_close(
            complaint=complaint,
            actor=supervisor,
            result=Result.SUBSTANTIATED,
            measures="责令被投诉单位改正，对涉事执法人员批评教育并暂停执法资格一个月。",
            feedback="经核查，您反映的问题属实。已责令被投诉单位改正，并对涉事执法人员作出处理。",
        )
    elif step == "rate":
        handling.complaint_rate(complaint=complaint, rating=4, comment="处理及时，结果满意。")


def load_complaints(*, agencies: dict, supervisor, staff) -> list[Complaint]:
    """The demo complaints, registered and handled through the services (so that their
    timelines are real); `agencies` by demo key (`enforcement.demo.subjects.load_agencies`),
    `supervisor` registers and handles them, `staff` answers for 松江市市场监督管理局.
    Returns every demo complaint, new or existing, in the order of DEMO_COMPLAINTS."""
    today = timezone.localdate()
    existing = {
        c.submission_token: c
        for c in Complaint.objects.filter(submission_token__in=[d.token for d in DEMO_COMPLAINTS])
    }
    result = []
    for n, demo in enumerate(DEMO_COMPLAINTS, 1):
        if demo.token in existing:
            result.append(existing[demo.token])
            continue
        web = demo.received_via == ReceivedVia.WEB
        receipt = complaint_register(
            agency=agencies[demo.agency],
            category=demo.category,
            description=demo.description,
            request=demo.request,
            occurred_on=today - timedelta(days=demo.received_days_ago + 5),
            submission_token=demo.token,
            received_via=demo.received_via,
            received_on=None if web else today - timedelta(days=demo.received_days_ago),
            actor=None if web else supervisor,
            **_complainant(n, demo.anonymous),
        )
        complaint = receipt.complaint
        Complaint.objects.filter(pk=complaint.pk).update(
            access_code_hash=access_codes.digest(demo.code)
        )
        for step in demo.steps:
            _step(step, complaint, supervisor, staff)
        result.append(Complaint.objects.get(pk=complaint.pk))
    # The demo's complainants are fictional: their notices are kept in the outbox as sent, so
    # that loading the demo neither mails example addresses nor fills the console.
    Notification.objects.filter(complaint__in=result, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    return result
