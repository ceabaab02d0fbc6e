"""Shared by the staff-page tests: complaints in each state, made through the services."""

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.services.decisions import complaint_accept
from complaints.services.handling import complaint_ask_agency, complaint_close

from .test_register import file_complaint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def registered(agency, **overrides):
    return file_complaint(agency, **overrides).complaint


def with_letter(agency):
    """A registered complaint with one attachment (MEDIA_ROOT must be a temporary folder)."""
    letter = SimpleUploadedFile("来信.pdf", PDF, content_type="application/pdf")
    return file_complaint(agency, attachments=[letter]).complaint


def in_handling(agency, supervisor, **overrides):
    return complaint_accept(
        complaint=registered(agency, **overrides), actor=supervisor, handler=supervisor
    )


def closed(agency, supervisor, result="substantiated"):
    complaint = in_handling(agency, supervisor)
    return complaint_close(
        complaint=complaint,
        actor=supervisor,
        result=result,
        measures="责令改正并通报批评。",
        feedback="经核查，投诉属实，已责令改正。",
    )


def asked(agency, supervisor, *, share_identity=False):
    """An agency request for a written response about a complaint in handling."""
    complaint = in_handling(agency, supervisor)
    return complaint_ask_agency(
        complaint=complaint,
        actor=supervisor,
        question="请说明当日执法人员是否出示执法证件。",
        share_identity=share_identity,
    )


def texts(response) -> list[str]:
    """The messages a response carries (its request's, after a redirect is followed)."""
    return [str(m) for m in get_messages(response.wsgi_request)]
