"""Builders of the officers' evaluation tests (R21, R22): closed cases with file reviews,
substantiated complaints naming an officer, and results in each state, made with the models
directly so that each test states only what it is about."""

import itertools
from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from assessment.models import Cycle, Grade, Objection, OfficerResult
from complaints.models import Complaint, Result
from enforcement.models import Case, CaseFileReview, CaseOfficer
from enforcement.models.file_reviews import CHECKLIST
from tests.enforcement.staff_factories import make_draft
from tests.factories import OfficerFactory, UserFactory

_numbers = itertools.count(1)


def at(day, hour=10):
    """A moment of `day` in the portal's time zone (Asia/Shanghai)."""
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def officer_with_login(agency, name="王执法", username="officer_a"):
    """An officer whose login account is linked (Officer.user)."""
    from portal.roles import Role
    from portal.services import user_assign_role

    user = UserFactory(username=username, name=name)
    user_assign_role(user=user, role=Role.AGENCY_STAFF, actor=None, agency=agency)
    return OfficerFactory(agency=agency, name=name, user=user)


def closed_case(agency, staff, officers, closed_at, reviews=()):
    """A case closed at `closed_at`, handled by `officers`, its file reviewed with `reviews`
    (totals out of 100)."""
    item = make_draft(agency, staff, code=f"3302170{next(_numbers):05d}", name="测试事项")
    case = Case.objects.create(
        agency=agency,
        power_item=item,
        item_code=item.code,
        item_name=item.name,
        source=Case.Source.INSPECTION,
        summary="现场检查。",
        opened_by=staff,
        closed_at=closed_at,
    )
    for officer in officers:
        CaseOfficer.objects.create(case=case, officer=officer)
    for total in reviews:
        scores, left = {}, total
        for name, _label, points in CHECKLIST:
            scores[name] = min(points, left)
            left -= scores[name]
        CaseFileReview.objects.create(
            case=case, reviewer=staff, total=total, findings="评查意见。", **scores
        )
    return case


def complaint(agency, officer_text, *, result=Result.SUBSTANTIATED, closed_at=None):
    n = next(_numbers)
    closed_at = closed_at or timezone.now()
    return Complaint.objects.create(
        region=agency.region,
        year=closed_at.year,
        sequence=n,
        number=f"TS{n:08d}",
        access_code_hash="x" * 64,
        fingerprint=f"{n:064d}",
        received_on=closed_at.date(),
        agency=agency,
        officer=officer_text,
        occurred_on=closed_at.date(),
        category="other",
        description="执法人员态度恶劣。",
        anonymous=True,
        acknowledge_by=closed_at.date(),
        status=Complaint.Status.CLOSED,
        result=result,
        closed_at=closed_at,
    )


def result_for(cycle: Cycle, officer, *, total="75", grade=None, **fields) -> OfficerResult:
    total = Decimal(total)
    return OfficerResult.objects.create(
        cycle=cycle,
        officer=officer,
        agency=officer.agency,
        everyday_score=total,
        special_score=total,
        total=total,
        grade=grade or cycle.grade_for(total),
        computed_at=timezone.now(),
        **fields,
    )


def published(cycle, officer, *, due, total="75", final=False, **fields) -> OfficerResult:
    return result_for(
        cycle,
        officer,
        total=total,
        published_at=timezone.now(),
        objection_due=due,
        final_at=timezone.now() if final else None,
        **fields,
    )


def pending_objection(result, officer_user) -> Objection:
    return Objection.objects.create(
        result=result, reason="案卷评查分数有误。", filed_by=officer_user
    )


__all__ = [
    "Grade",
    "at",
    "closed_case",
    "complaint",
    "officer_with_login",
    "pending_objection",
    "published",
    "result_for",
]
