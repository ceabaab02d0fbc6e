"""Demo enforcement cases (R6): 松江市市场监督管理局's cases, one in each of the five stages,
opened and kept by the demo inspector_a through the real services.

Each case holds a record in every stage it has passed and in the one it is in; one record has
been corrected (a second version with its reason). The case in the 审查决定 stage has a major
fine decision submitted to the legal office and awaiting its review (R5); the cases past that
stage had a non-major decision issued there (and so disclosed, redacted, R9). The archived case's
case is closed, its file reviewed (案卷评查), and a reconsideration revoked its decision, which is
flagged for accountability screening (R13); the executed case's fine has a first instalment paid
at the bank and entered by the supervisor (R30). Loaded once: a second run finds the agency's cases
and changes nothing.
"""

import struct
import zlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ..models import Agency, Case, CaseRecord, Decision, Officer, PowerItem, RemedyOutcome, Stage
from ..models.powers import Category
from ..services.cases import (
    PartyInput,
    case_advance,
    case_close,
    case_open,
    case_record_add,
    case_record_correct,
)
from ..services.decisions import decision_issue, decision_save, decision_submit
from ..services.file_reviews import case_file_review_record
from ..services.fines import fine_payment_record
from ..services.remedies import remedy_outcome_record
from ..validators import credit_code_check_char

AGENCY_NAME = "松江市市场监督管理局"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(body: str) -> str:
    """A fictional resident ID (region 99xxxx does not exist) with its right check digit."""
    return (
        body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    )


def _credit_code(seq: int) -> str:
    body = f"91990100MA0{seq:06d}"
    return body + credit_code_check_char(body)


def png(seed: int) -> bytes:
    """A valid one-pixel PNG; `seed` picks its colour, so each demo photo has its own digest."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    pixel = bytes([0, seed % 256, (seed * 7) % 256, (seed * 13) % 256])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )


def pdf(text: str) -> bytes:
    """A minimal PDF whose comment line makes each document's digest its own."""
    return PDF.replace(b"%%EOF", f"% {text}\n%%EOF".encode())


# (summary, source, party) — the i-th case is left in the i-th stage.
CASES = [
    (
        "群众举报某超市销售超过保质期的预包装食品。",
        "report",
        PartyInput(
            "legal_person",
            "松江市惠民百货超市有限公司",
            _credit_code(1),
            "松江市东城区建设路 18 号",
        ),
    ),
    (
        "现场检查发现某餐馆使用未经检验的冷冻肉品。",
        "inspection",
        PartyInput(
            "citizen", "周某某", _resident_id("99010219800315123"), "松江市东城区和平街 6 号"
        ),
    ),
    (
        "消费者投诉某药店销售的保健食品宣传治疗功效。",
        "complaint",
        PartyInput(
            "legal_person", "松江市康宁大药房有限公司", _credit_code(2), "松江市榆川县人民路 3 号"
        ),
    ),
    (
        "上级交办：某加油站加油机计量器具未经检定。",
        "assigned",
        PartyInput(
            "legal_person",
            "松江市顺达石化销售有限公司",
            _credit_code(3),
            "松江市东城区迎宾大道 99 号",
        ),
    ),
    (
        "媒体曝光某奶茶店使用过期原料。",
        "media",
        PartyInput(
            "citizen", "吴某某", _resident_id("99012119920708204"), "松江市榆川县新华街 21 号"
        ),
    ),
]

# stage -> (title, kind, evidence type, file extension)
RECORDS = {
    Stage.INITIATION: ("立案审批表", "document", "", "pdf"),
    Stage.INVESTIGATION: ("现场检查照片", "audio_video", "audiovisual", "png"),
    Stage.DECISION: ("行政处罚决定书", "document", "", "pdf"),
    Stage.SERVICE: ("送达回证", "document", "documentary", "pdf"),
    Stage.ARCHIVING: ("卷宗目录", "document", "", "pdf"),
}


def _officers(agency: Agency) -> list[Officer]:
    """Two of the agency's officers with valid certificates (made if the agency lacks them)."""
    valid = list(
        Officer.objects.filter(
            agency=agency, certificate_status=Officer.CertificateStatus.VALID
        ).order_by("certificate_number")[:2]
    )
    for n in range(len(valid), 2):
        officer, _created = Officer.objects.get_or_create(
            certificate_number=f"JZ{agency.region.code}C{n + 1:04d}",
            defaults={"name": ("陈立新", "林晓雯")[n], "agency": agency},
        )
        valid.append(officer)
    return valid


def _record(case: Case, staff, officer: Officer, n: int, at) -> CaseRecord:
    title, kind, evidence, extension = RECORDS[Stage(case.stage)]
    data = png(n) if extension == "png" else pdf(f"{case.pk}-{case.stage}-{n}")
    return case_record_add(
        case=case,
        actor=staff,
        kind=kind,
        title=title,
        file=SimpleUploadedFile(f"{title}.{extension}", data),
        recorded_by=officer,
        recorded_at=at,
        recorded_place=case.parties.first().address or AGENCY_NAME,
        evidence_type=evidence,
    )


MAJOR_FINE = Decimal("150000")


def _tier(case: Case, amount: Decimal | None):
    """R7: the item's tier whose range holds `amount` (the first if no amount), else the last
    one with the reason for going outside it; (None, "") when the item has no benchmark."""
    tiers = list(case.power_item.discretion_tiers.order_by("order"))
    if not tiers:
        return None, ""
    if amount is None:
        return tiers[0], ""
    for tier in tiers:
        if (tier.fine_min is None or tier.fine_min <= amount) and (
            tier.fine_max is None or amount <= tier.fine_max
        ):
            return tier, ""
    return tiers[-1], "当事人违法行为持续时间长、涉案货值巨大，且拒不改正，依法从重处罚。"


def _major_decision(case: Case, staff) -> Decision:
    """R5: a fine of ¥150,000 on the pharmacy company, submitted for the legal review."""
    tier, reason = _tier(case, MAJOR_FINE)
    decision = decision_save(
        case=case,
        actor=staff,
        kind=Decision.Kind.FINE,
        fine_amount=MAJOR_FINE,
        tier=tier,
        outside_tier_reason=reason,
        explanation="当事人在店内及网络平台宣传其销售的保健食品具有治疗疾病功效，"
        "涉案产品货值较大，经调查事实清楚、证据确凿，拟从重处罚。",
        draft="松江市市场监督管理局行政处罚决定书（草稿）：对当事人处以罚款人民币壹拾伍万元整。",
    )
    return decision_submit(decision=decision, actor=staff)


def _decision_text(case: Case) -> str:
    """The decision's text names the party as a real one does: its disclosure shows it redacted
    (R9: a citizen's name masked, identity number and address removed)."""
    party = case.parties.first()
    return (
        f"松江市市场监督管理局行政处罚决定书。当事人：{party.name}，"
        f"证件号码：{party.identifier}，住所：{party.address}。"
        f"经查，{case.summary}上述事实有现场检查笔录、照片等证据证实。"
        f"本局决定对{party.name}依法作出处罚。"
    )


def _issued_decision(case: Case, staff) -> Decision:
    """A non-major decision issued in the 审查决定 stage: the benchmark's lowest fine, or a
    warning where the item has no fine (or the fine would be major)."""
    tier, _reason = _tier(case, None)
    fields = {
        "case": case,
        "actor": staff,
        "explanation": "当事人初次违法，危害后果轻微，并已及时改正。",
        "draft": _decision_text(case),
    }
    decision = None
    if tier is not None and tier.fine_min:
        decision = decision_save(
            kind=Decision.Kind.FINE, fine_amount=tier.fine_min, tier=tier, **fields
        )
    if decision is None or decision.is_major:
        decision = decision_save(kind=Decision.Kind.WARNING, tier=tier, **fields)
    return decision_issue(decision=decision, actor=staff)


def _after_the_decision(cases: list[Case], *, staff, supervisor) -> None:
    """R30, R13, 案卷评查: the first instalment of the executed case's fine, paid at the bank and
    entered by the supervisor from its receipt; the archived case closed, its file reviewed,
    and a reconsideration that revoked its decision, awaiting accountability screening."""
    executed, archived = cases[3], cases[4]
    decision = executed.decision
    if decision.kind == Decision.Kind.FINE:
        fine_payment_record(
            decision=decision,
            actor=supervisor,
            receipt_number=f"SJNS{timezone.localdate():%Y%m%d}0001",
            amount=(decision.fine_amount / 3).quantize(Decimal("1")),
            paid_on=timezone.localdate(),
            note="经批准分期缴纳，第一期。",
        )
    case_close(case=archived, actor=staff)
    case_file_review_record(
        case=archived,
        actor=supervisor,
        findings="卷宗齐全，程序合法；现场照片未注明拍摄人，扣 2 分。",
        completeness=25,
        procedure=15,
        evidence=13,
        decision=18,
        service=10,
        archive=14,
    )
    remedy_outcome_record(
        case=archived,
        actor=staff,
        kind=RemedyOutcome.Kind.RECONSIDERATION,
        body="松江市人民政府",
        reference=f"松政复决〔{timezone.localdate():%Y}〕17号",
        decided_on=timezone.localdate(),
        outcome=RemedyOutcome.Outcome.REVOKED,
        summary="原决定认定当事人使用过期原料的证据不足，予以撤销。",
    )


def load_cases(*, staff, supervisor) -> list[Case]:
    """The demo agency's cases, loaded once; returns them (the existing ones on a second run)."""
    agency = Agency.objects.get(name=AGENCY_NAME)
    existing = list(Case.objects.filter(agency=agency).order_by("pk"))
    if existing:
        # Cases loaded before decisions existed get their major decision awaiting review.
        for case in existing:
            if case.stage == Stage.DECISION and not Decision.objects.filter(case=case).exists():
                _major_decision(case, staff)
                break
        return existing
    items = list(
        PowerItem.objects.filter(
            agency=agency, published__isnull=False, category=Category.PENALTY
        ).order_by("code")
    )
    officers = _officers(agency)
    now = timezone.now()
    cases = []
    for index, (summary, source, party) in enumerate(CASES):
        case = case_open(
            agency=agency,
            power_item=items[index % len(items)],
            source=source,
            summary=summary,
            parties=[party],
            officers=officers,
            actor=staff,
        )
        for step in range(index + 1):
            at = now - timedelta(days=10 - 2 * step, hours=index)
            record = _record(case, staff, officers[step % 2], index * 5 + step, at)
            if index == len(CASES) - 1 and step == 0:
                case_record_correct(
                    record=record,
                    actor=staff,
                    file=SimpleUploadedFile("立案审批表.pdf", pdf(f"{case.pk}-corrected")),
                    reason="原扫描件缺少负责人签字页，重新扫描。",
                )
            if case.stage == Stage.DECISION and step < index:
                _issued_decision(case, staff)
            if step < index:
                case = case_advance(case=case, actor=staff)
        if case.stage == Stage.DECISION:
            _major_decision(case, staff)
        cases.append(case)
    _after_the_decision(cases, staff=staff, supervisor=supervisor)
    return cases


DISPUTE_MATTER = "占道无照经营流动摊贩的查处"


DISPUTE_OPINION = (
    "依据两单位的机构职能规定，占道经营的查处属于城市管理部门职责，无照经营的查处属于市场监督"
    "管理部门职责。流动摊贩占道无照经营的，建议由松江市城市管理行政执法局负责查处占道行为，"
    "并将无照经营线索移送松江市市场监督管理局依法处理。"
)


def load_dispute(*, staff, office_staff=None):
    """An open jurisdiction dispute (R8): the market regulator and the city management bureau
    of 松江市 both claim street vendors trading without a licence on the road; 松江市's
    establishment office has given its opinion, and the other side's answer is awaited. Loaded
    once."""
    from ..models import Dispute
    from ..services.disputes import dispute_give_opinion, dispute_raise

    dispute = Dispute.objects.filter(matter=DISPUTE_MATTER).first()
    if dispute is None:
        dispute = dispute_raise(
            raised_by=Agency.objects.get(name=AGENCY_NAME),
            other=Agency.objects.get(name="松江市城市管理行政执法局"),
            kind=Dispute.Kind.BOTH_CLAIM,
            matter=DISPUTE_MATTER,
            statement="无照经营属于市场主体登记管理事项，依《无证无照经营查处办法》由市场监督管理部门查处。",
            actor=staff,
        )
    if office_staff is not None and not dispute.opinion:
        dispute = dispute_give_opinion(dispute=dispute, actor=office_staff, opinion=DISPUTE_OPINION)
    return dispute
