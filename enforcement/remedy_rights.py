"""The remedies a party has against an enforcement decision (R9), in one place: the disclosure
page and the agency's public page say the same thing."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RemedyRight:
    name: Promise
    text: Promise
    source: Promise


REMEDY_RIGHTS = (
    RemedyRight(
        _("行政复议"),
        _(
            "当事人对行政执法决定不服的，可以自收到决定书之日起六十日内依法申请行政复议；"
            "法律规定的申请期限超过六十日的除外。"
        ),
        _("《中华人民共和国行政复议法》第二十条"),
    ),
    RemedyRight(
        _("行政诉讼"),
        _("当事人也可以自收到决定书之日起六个月内直接向人民法院提起行政诉讼；法律另有规定的除外。"),
        _("《中华人民共和国行政诉讼法》第四十六条"),
    ),
)
