"""R20: public opinion on an agency's enforcement. The public fills in an evaluation card
(执法评议卡) without an account, once per period per device; supervisors enter the opinions
heard on the hotline, at symposia and by questionnaire; a comment is moderated before it is
shown or counted.

The card's guard against repeats needs no third party: the form carries a signed, salted,
time-limited one-time token naming the device (a random id the browser keeps in a long-lived
signed cookie) and the agency; a used token's hash is kept in Django's cache, shared by every
process, and the stored `device_key` is a hash of the device id, never the id nor an address.
The database's `opinion_one_card_per_device_period` has the last word.
"""

import hashlib
import re
import secrets

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.models import Agency
from portal.params import ascii_int
from portal.scoping import can_supervise
from portal.text import clean_text

from ..models import Assignment, Cycle, CycleEvent, PublicOpinion

TOKEN_SALT = "assessment.opinions.card-token"
TOKEN_MAX_AGE = 2 * 60 * 60  # seconds a card form stays valid
USED_TOKEN_PREFIX = "assessment:card-token-used:"
COMMENT_MAX = 500
STAFF_SOURCES = (
    PublicOpinion.Source.HOTLINE,
    PublicOpinion.Source.SYMPOSIUM,
    PublicOpinion.Source.QUESTIONNAIRE,
)
RATINGS = {
    "lawful": gettext_lazy("依法执法"),
    "civil": gettext_lazy("文明执法"),
    "efficient": gettext_lazy("办事效率"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DEVICE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def current_period() -> int:
    """The evaluation period: the calendar year in the portal's time zone (Asia/Shanghai)."""
    return localdate().year


def device_new() -> str:
    """A fresh random device id for a browser that has none."""
    return secrets.token_urlsafe(24)


def device_key(device_id: str) -> str:
    """What is stored of a device: a salted hash of its id, 64 hex characters."""
    return hashlib.sha256(f"{TOKEN_SALT}:{device_id}".encode()).hexdigest()


def card_token_make(*, device_id: str, agency: Agency, period: int | None = None) -> str:
    """The one-time token a card form carries, tied to the device, the agency and the period."""
    payload = {
        "d": device_id,
        "a": agency.pk,
        "p": period or current_period(),
        "n": secrets.token_hex(8),
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def _token_payload(token: str, *, device_id: str, agency: Agency) -> dict:
    try:
        payload = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("评议卡页面已打开太久，请刷新页面后重新填写。"), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("评议卡无效，请重新打开评议卡页面填写。"), code="forged") from None
    if (
        not isinstance(payload, dict)
        or payload.get("d") != device_id
        or payload.get("a") != agency.pk
        or not isinstance(payload.get("p"), int)
    ):
        raise ValidationError(_("评议卡无效，请重新打开评议卡页面填写。"), code="forged")
    if payload["p"] != current_period():
        raise ValidationError(_("评议年度已变更，请刷新页面后重新填写。"), code="expired")
    return payload


def _used_key(token: str) -> str:
    return USED_TOKEN_PREFIX + hashlib.sha256(token.encode()).hexdigest()


def _rating(value, field: str) -> int:
    label = str(RATINGS[field])
    try:
        return ascii_int(value, label=label, minimum=1, maximum=5)
    except ValidationError:
        raise ValidationError(
            {field: _("%(label)s的评分应为 1 至 5 分。") % {"label": label}}, code="rating"
        ) from None


def _comment(value) -> str:
    value = value or ""
    if not isinstance(value, str):
        raise ValidationError({"comment": _("意见建议应为文字。")})
    if _CONTROL.search(value):
        raise ValidationError(
            {"comment": _("意见建议含有不允许的控制字符，请删除后重新提交。")}, code="control"
        )
    return clean_text(
        value, label=_("意见建议"), max_length=COMMENT_MAX, required=False, field="comment"
    )


def _moderation_for(comment: str) -> str:
    # A comment is free text before the public: it waits for a supervisor. Ratings alone count.
    if comment:
        return PublicOpinion.Moderation.PENDING
    return PublicOpinion.Moderation.APPROVED


def _already(agency: Agency, period: int) -> ValidationError:
    return ValidationError(
        _("本设备已经提交过%(year)s年度对“%(agency)s”的评议卡，每个年度只能提交一次。")
        % {"year": period, "agency": agency.name},
        code="repeated",
    )


def _cycle_of(agency: Agency, period: int) -> Cycle | None:
    """The open cycle of that year in which the agency is evaluated, else the open cycle of its
    own region or the nearest region above it."""
    cycles = Cycle.objects.filter(year=period, status=Cycle.Status.OPEN)
    evaluated = Assignment.objects.filter(agency=agency, cycle__in=cycles).values("cycle")
    cycle = cycles.filter(pk__in=evaluated).order_by("pk").first()
    if cycle is None:
        cycle = agency.region.nearest(cycles.select_related("region"))
    return cycle


@transaction.atomic
def opinion_card_submit(
    *,
    agency: Agency,
    token: str,
    device_id: str,
    lawful,
    civil,
    efficient,
    comment: str = "",
) -> PublicOpinion:
    """R20: an evaluation card from the public. Counted at once without a comment; with one it
    waits for moderation. Refused: a forged, expired or reused token, a second card of the same
    device for the agency in the period, ratings out of 1–5, unsafe comments."""
    if not isinstance(device_id, str) or not _DEVICE.fullmatch(device_id):
        raise ValidationError(_("请先打开评议卡页面，再填写提交。"), code="no_device")
    payload = _token_payload(token, device_id=device_id, agency=agency)
    period = payload["p"]
    ratings = {
        field: _rating(value, field)
        for field, value in (("lawful", lawful), ("civil", civil), ("efficient", efficient))
    }
    comment = _comment(comment)
    key = device_key(device_id)
    cards = PublicOpinion.objects.filter(source=PublicOpinion.Source.CARD)
    if cards.filter(agency=agency, period=period, device_key=key).exists():
        raise _already(agency, period)
    # `add` is atomic on every shared cache backend: of two requests racing with one token,
    # only one adds the key.
    if not cache.add(_used_key(token), 1, timeout=TOKEN_MAX_AGE + 60):
        raise ValidationError(
            _("该评议卡已经提交过，请不要重复提交。如需再次评议，请重新打开页面。"),
            code="replayed",
        )
    opinion = PublicOpinion(
        agency=agency,
        period=period,
        source=PublicOpinion.Source.CARD,
        comment=comment,
        moderation=_moderation_for(comment),
        device_key=key,
        **ratings,
    )
    opinion.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            opinion.save()
    except IntegrityError:
        raise _already(agency, period) from None
    return opinion


def _period(value) -> int:
    try:
        period = ascii_int(value, label=_("评议年度"), minimum=2000, maximum=2100)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from None
    if period > current_period():
        raise ValidationError({"period": _("评议年度不能晚于今年。")})
    return period


@transaction.atomic
def opinion_enter(
    *,
    agency: Agency,
    period,
    source: str,
    lawful,
    civil,
    efficient,
    comment: str = "",
    source_note: str,
    actor,
) -> PublicOpinion:
    """R20: a supervisor enters an opinion heard on the hotline, at a symposium or by
    questionnaire, naming its source (ticket number, the symposium's date and place)."""
    if not can_supervise(actor, agency):
        raise PermissionDenied(_("只有负责该单位所在区划的监督人员可以录入社会评议意见。"))
    if source not in STAFF_SOURCES:
        raise ValidationError({"source": _("请选择来源：热线电话、座谈会或问卷调查。")})
    period = _period(period)
    ratings = {
        field: _rating(value, field)
        for field, value in (("lawful", lawful), ("civil", civil), ("efficient", efficient))
    }
    comment = _comment(comment)
    if isinstance(source_note, str) and _CONTROL.search(source_note):
        raise ValidationError({"source_note": _("来源说明含有不允许的控制字符。")})
    note = clean_text(source_note, label=_("来源说明"), max_length=200, field="source_note")
    opinion = PublicOpinion(
        agency=agency,
        period=period,
        source=source,
        comment=comment,
        moderation=_moderation_for(comment),
        source_note=note,
        entered_by=actor,
        **ratings,
    )
    opinion.full_clean()
    opinion.save()
    cycle = _cycle_of(agency, period)
    if cycle is not None:
        CycleEvent.objects.create(
            cycle=cycle,
            kind=CycleEvent.Kind.OPINION_ENTERED,
            actor=actor,
            agency=agency,
            note=_("%(source)s：%(note)s") % {"source": opinion.get_source_display(), "note": note},
        )
    return opinion


@transaction.atomic
def opinion_moderate(*, opinion: PublicOpinion, approve: bool, actor) -> PublicOpinion:
    """R20: a supervisor of the agency's region decides once whether a comment is shown and its
    opinion counted."""
    if not can_supervise(actor, opinion.agency):
        raise PermissionDenied(_("只有负责该单位所在区划的监督人员可以审核评议留言。"))
    opinion = PublicOpinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.moderation != PublicOpinion.Moderation.PENDING:
        raise ValidationError(_("该意见已经审核过，不能重复审核。"), code="decided")
    opinion.moderation = (
        PublicOpinion.Moderation.APPROVED if approve else PublicOpinion.Moderation.REJECTED
    )
    opinion.moderated_by = actor
    opinion.moderated_at = timezone.now()
    opinion.full_clean()
    opinion.save(update_fields=["moderation", "moderated_by", "moderated_at"])
    cycle = _cycle_of(opinion.agency, opinion.period)
    if cycle is not None:
        CycleEvent.objects.create(
            cycle=cycle,
            kind=CycleEvent.Kind.OPINION_MODERATED,
            actor=actor,
            agency=opinion.agency,
            note=_("%(source)s意见 %(pk)s：%(decision)s")
            % {
                "source": opinion.get_source_display(),
                "pk": opinion.pk,
                "decision": opinion.get_moderation_display(),
            },
        )
    return opinion


__all__ = [
    "card_token_make",
    "current_period",
    "device_key",
    "device_new",
    "opinion_card_submit",
    "opinion_enter",
    "opinion_moderate",
]
