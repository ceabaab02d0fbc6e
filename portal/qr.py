"""QR codes drawn as inline SVG (segno): printed cards and pages need no image file nor script."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, title: str, scale: int = 4) -> SafeString:
    """`text` (a URL) as an SVG QR code with medium error correction, titled for screen
    readers. segno writes the markup from the encoded modules only; `title` is escaped by it."""
    code = segno.make(text, error="m")
    svg = code.svg_inline(scale=scale, title=title, dark="#000", light="#fff", omitsize=True)
    return mark_safe(svg)  # noqa: S308
