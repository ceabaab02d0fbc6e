"""Issue 14: staff pages show a status as a coloured badge that still says it in words, and money
with thousands separators (portal_tags.status_badge, status_tone, yuan)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from portal.templatetags.portal_tags import STATUS_TONES, TONES, status_tone, yuan

CSS = Path(settings.BASE_DIR) / "static" / "portal" / "portal.css"


def render(source: str, **context) -> str:
    return Template("{% load portal_tags %}" + source).render(Context(context))


def test_a_badge_carries_its_label_and_the_tone_of_its_status():
    html = render("{% status_badge 'returned' '已退回修改' %}")
    assert html == '<span class="badge tone-amber" data-status="returned">已退回修改</span>'


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        ("draft", "grey"),
        ("submitted", "blue"),
        ("returned", "amber"),
        ("published", "green"),
        ("refused", "red"),
        ("overdue", "red"),
        ("transferred", "purple"),
    ],
)
def test_each_kind_of_state_has_its_own_tone(status, tone):
    assert status_tone(status) == tone


def test_an_unknown_status_is_grey_and_shows_its_value_when_there_is_no_label():
    html = render("{% status_badge 'something_new' %}")
    assert 'class="badge tone-grey"' in html
    assert ">something_new<" in html


def test_the_template_can_name_the_tone_where_the_value_does_not_say_it():
    html = render("{% status_badge 'open' '整改中' 'amber' %}")
    assert "tone-amber" in html
    # A tone that is not one of the six is ignored, not written into the class.
    assert "tone-blue" in render("{% status_badge 'open' '整改中' 'pink' %}")


def test_a_label_is_escaped():
    html = render("{% status_badge s label %}", s="draft", label="<b>x</b>")
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("tone", TONES)
def test_every_tone_is_styled_and_meets_wcag_aa_contrast(tone):
    css = CSS.read_text()
    rule = re.search(r"\.badge\.tone-" + tone + r"\b[^{]*\{([^}]*)\}", css)
    assert rule, f"no style for tone {tone}"
    background = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rule.group(1)).group(1)
    colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", rule.group(1)).group(1)
    assert _contrast(background, colour) >= 4.5


def test_every_mapped_status_uses_a_known_tone():
    assert set(STATUS_TONES.values()) <= set(TONES)
    assert len(set(STATUS_TONES.values())) == len(TONES)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (12345, "12,345.00 元"),
        (Decimal("1234567.5"), "1,234,567.50 元"),
        (Decimal("0.005"), "0.01 元"),
        (Decimal("200"), "200.00 元"),
        (0, "0.00 元"),
    ],
)
def test_money_has_thousands_separators_and_two_decimals(amount, shown):
    assert yuan(amount) == shown


def test_no_amount_shows_nothing_and_text_is_left_as_it_is():
    assert yuan(None) == ""
    assert yuan("") == ""
    assert yuan("待定") == "待定"


def test_the_filter_works_in_a_template():
    assert render("{{ amount|yuan }}", amount=Decimal("98765.4")) == "98,765.40 元"
