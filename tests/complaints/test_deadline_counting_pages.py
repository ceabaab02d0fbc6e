"""The pages that show a complaint's deadline say how it was counted: each rest day skipped and
each weekend day counted as a working day (调休上班日), with its reason.

The working-day rules (working days follow the State Council's schedule, including 调休), R16's
5 working days and the Civil Code's counting (民法典 第二百零一条至第二百零三条). Dates are worked
out by hand from the 2026 schedule the calendar holds.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from complaints.models import ReceivedVia
from complaints.services import decisions, register
from complaints.services.decisions import complaint_accept
from enforcement.models import BasisChange, LegalBasis, PowerItem, RevisionTask
from tests.conftest import client_for

from .test_register import file_complaint
from .test_tracking_page import RESULT, track

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def counting_text(response) -> str:
    html = response.content.decode()
    block = re.search(r'<details class="counting".*?</details>', html, re.S)
    assert block is not None, "the page does not explain its deadline"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block.group(0)))


def received(agency, actor, on: date, monkeypatch):
    monkeypatch.setattr(register, "localdate", lambda: on)
    return file_complaint(agency, actor=actor, received_via=ReceivedVia.PHONE, received_on=on)


def test_the_staff_page_explains_the_acknowledgement_deadline_with_its_working_saturday(
    agency_a, city_supervisor, monkeypatch
):
    """R16, 调休: received Fri 13 February 2026, Sat 14 February is a working day (1), 15–23
    February the Spring Festival, then 24–27 February: due Fri 27 February. The staff page lists
    the holiday days skipped and the working Saturday counted, each with its reason."""
    complaint = received(agency_a, city_supervisor, D("2026-02-13"), monkeypatch).complaint
    url = reverse("complaints:staff-detail", args=[complaint.pk])
    text = counting_text(client_for(city_supervisor).get(url))
    assert "受理告知期限如何计算" in text
    assert "收到之日 2026-02-13 不计入，其后第 5 个工作日为期限届满日。" in text
    assert "期限届满日：2026-02-27" in text
    assert "2026-02-15 星期日 春节" in text
    assert "计入的调休上班日（1 天）" in text
    assert "2026-02-14 星期六 春节调休上班日" in text


def test_the_tracking_page_explains_a_handling_period_ending_on_a_working_saturday(
    agency_a, city_supervisor, monkeypatch, public_client
):
    """R17, 民法典 第二百零一条、第二百零三条, 调休: accepted Tue 11 August 2026 with 60 days, the
    period's last day is Sat 10 October 2026, a working day for National Day: the period ends on
    it and the complainant is told why a Saturday is the deadline."""
    receipt = received(agency_a, city_supervisor, D("2026-08-10"), monkeypatch)
    monkeypatch.setattr(decisions, "localdate", lambda: D("2026-08-11"))
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    assert complaint.handling_due == D("2026-10-10")
    track(public_client, receipt.number, receipt.access_code)
    text = counting_text(public_client.get(RESULT))
    assert "办理期限如何计算" in text
    assert "受理之日 2026-08-11 不计入，自次日起算 60 日" in text
    assert "计算中没有跳过任何休息日。" in text
    assert "2026-10-10 星期六 国庆节调休上班日" in text


def test_a_decided_complaint_has_no_running_deadline_to_explain(
    agency_a, city_supervisor, monkeypatch
):
    from complaints.services.decisions import complaint_refuse

    complaint = received(agency_a, city_supervisor, D("2026-02-13"), monkeypatch).complaint
    complaint_refuse(complaint=complaint, actor=city_supervisor, reason="duplicate")
    url = reverse("complaints:staff-detail", args=[complaint.pk])
    assert '<details class="counting"' not in client_for(city_supervisor).get(url).content.decode()


def test_each_revision_task_links_to_how_its_due_date_was_counted(
    agency_a, inspector_a, city_supervisor
):
    """R2 (one month, 民法典 第二百零二条、第二百零三条): the task list links each due date to the
    calculator, which lists the days skipped and the 调休上班日 counted."""
    basis = LegalBasis.objects.create(
        title="中华人民共和国食品安全法", issuer="全国人大常委会", level="law",
        published_on=date(2021, 4, 29),
    )  # fmt: skip
    change = BasisChange.objects.create(
        kind="amended", basis=basis, published_on=date(2026, 9, 10), summary="修改",
        recorded_by=city_supervisor,
    )  # fmt: skip
    item = PowerItem.objects.create(
        agency=agency_a, code="A-1", name="事项A-1", category="licensing", level="city"
    )
    RevisionTask.objects.create(change=change, item=item, due_on=date(2026, 10, 10))
    body = client_for(inspector_a).get(reverse("enforcement:revision_task_list")).content.decode()
    link = "/workdays/calculator/?start=2026-09-10&amp;count=1&amp;unit=months"
    assert link in body
    calculator = client_for(inspector_a).get(link.replace("&amp;", "&")).content.decode()
    assert "2026-10-10" in calculator and "国庆节调休上班日" in calculator
