"""Printable documents of a case (issue 14): the decision in the official format, as a print
page and as a PDF, and the case file's cover and index. Whoever may read the case may print it
(agency staff and the legal office of its agency, supervisors over it); anyone else gets a 404."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.pdf import pdf_response
from portal.roles import role_required

from ..selectors import documents as selectors
from .cases import READERS

DECISION_TEMPLATE = "enforcement/cases/decision_print.html"


@role_required(*READERS)
@require_GET
def decision_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision as its document (a draft is marked as one), laid out for A4."""
    document = selectors.decision_document(user=request.user, pk=pk)
    return render(request, DECISION_TEMPLATE, {"doc": document})


@role_required(*READERS)
@require_GET
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same document as a PDF download, named after its number."""
    document = selectors.decision_document(user=request.user, pk=pk)
    return pdf_response(
        request,
        template=DECISION_TEMPLATE,
        context={"doc": document},
        filename=document.filename,
        ascii_name=f"decision-{document.case.pk}.pdf",
    )


@role_required(*READERS)
@require_GET
def case_file_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The case file's cover and its index of documents (案卷封面及卷内目录)."""
    return render(
        request, "enforcement/cases/file_print.html", selectors.case_file(user=request.user, pk=pk)
    )
