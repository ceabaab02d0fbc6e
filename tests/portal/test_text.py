"""Free text is cleaned one way by every service (portal.text): script markup and text that a
spreadsheet would run as a formula are refused with a Chinese reason, ordinary text is kept."""

import pytest
from django.core.exceptions import ValidationError

from portal.text import clean_text


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "请看 <SCRIPT src=//x.example/a.js>",
        '<img src=x onerror="alert(1)">',
        "<iframe src=//evil.example>",
        "链接 javascript:alert(1)",
        "<svg onload=alert(1)>",
    ],
)
def test_it_refuses_script_markup_with_a_chinese_reason(text):
    with pytest.raises(ValidationError) as refused:
        clean_text(text, label="投诉内容", max_length=1000)
    assert "投诉内容中不能包含网页代码" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x.example","点击")',
        "=cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "-2+3+cmd|' /C calc'!A0".replace("-2+3+", "-"),
    ],
)
def test_it_refuses_text_that_starts_like_a_formula(text):
    with pytest.raises(ValidationError) as refused:
        clean_text(text, label="处理措施", max_length=1000)
    assert "处理措施不能以公式开头" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "执法人员态度恶劣，当场辱骂当事人。",
        "=== 情况说明 ===",
        "-5 度的天气里让我们在室外等候",
        "+86 138 0000 0000 是我的电话",
        "罚款金额 < 1000 元且 > 500 元",
        "section=3, only = 2",
        "请通过 email@example.com 联系",
    ],
)
def test_ordinary_text_is_kept(text):
    assert clean_text(text, label="投诉内容", max_length=1000) == text
