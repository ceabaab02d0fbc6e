"""PDF downloads of printable pages (issue 14), drawn by WeasyPrint from the same template as the
print view, with the page's own stylesheets read from the static files (no network: a
`url_fetcher` that serves only our static files, so a document can never make the server fetch
an outside address)."""

import mimetypes
from urllib.parse import quote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

PDF = "application/pdf"


def _static_path(url: str) -> str | None:
    """The file behind `url` if it is one of our static files, else None."""
    path = urlsplit(url).path
    prefix = static("")
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    try:
        # Development: the app's static folders; deployed: the collected (hashed) files.
        return finders.find(name) or (
            staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None
        )
    except (SuspiciousFileOperation, NotImplementedError):
        return None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """Serves our static files and refuses every other address."""

        def fetch(self, url, headers=None):
            found = _static_path(url)
            if not found:
                raise ValueError(f"not a static file: {url}")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            with open(found, "rb") as handle:
                return URLFetcherResponse(url, body=handle.read(), headers={"Content-Type": kind})

    return StaticOnly()


def pdf_response(
    request: HttpRequest, *, template: str, context: dict, filename: str, ascii_name: str
) -> HttpResponse:
    """The page rendered as PDF, as a download named `filename` (`ascii_name` for old browsers)."""
    from weasyprint import HTML  # imported here: Pango loads only when a PDF is asked for

    html = render_to_string(template, context | {"pdf": True}, request=request)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_fetcher())
    response = HttpResponse(document.write_pdf(), content_type=PDF)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
