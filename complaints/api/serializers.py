"""What the complaints API reads and shows. Serializers only parse and present: the rules are in
the services, the identity shown is decided by `complaints.privacy` in the views."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enforcement.models import Agency
from portal.fields import ApiDateField

from ..models import AgencyRequest, Attachment, Category, Complaint, ComplaintEvent, RefusalReason
from ..models import Result as ResultChoice

DATE_INVALID = _("日期格式应为 YYYY-MM-DD，例如 2024-05-01。")


def _text(**kwargs) -> serializers.CharField:
    """Free text checked by the service (its messages name the field and its limit)."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class AgencyField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "required": _("请选择被投诉单位。"),
        "null": _("请选择被投诉单位。"),
        "does_not_exist": _("没有这个执法主体，请从执法主体名录中选择。"),
        "incorrect_type": _("被投诉单位应为执法主体编号。"),
    }


# --- Public ---------------------------------------------------------------------------------


class ComplaintFileSerializer(serializers.Serializer):
    """A complaint filed by the public (R15). JSON, or multipart with repeated `attachments`."""

    agency = AgencyField(queryset=Agency.objects.select_related("region"))
    category = serializers.ChoiceField(
        choices=Category.choices,
        error_messages={"invalid_choice": _("请选择投诉类型。"), "required": _("请选择投诉类型。")},
    )
    description = _text(help_text=_("投诉事项，最多 5000 字"))
    occurred_on = ApiDateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": DATE_INVALID,
            "required": _("请填写发生日期。"),
            "null": _("请填写发生日期。"),
        },
    )
    complainant_name = _text(help_text=_("姓名（匿名投诉时不填）"))
    phone = _text(help_text=_("手机号码或带区号的固定电话"))
    email = _text()
    anonymous = serializers.BooleanField(required=False, default=False)
    officer = _text(help_text=_("执法人员姓名或执法证号"))
    place = _text()
    case_number = _text(help_text=_("案件或决定书编号"))
    request = _text(help_text=_("投诉请求"))
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False),
        required=False,
        default=list,
        help_text=_("照片、PDF、Word 或视频，按文件内容识别；multipart 中重复 attachments 字段"),
    )


class ComplaintReceiptSerializer(serializers.Serializer):
    number = serializers.CharField(help_text=_("登记号"))
    access_code = serializers.CharField(help_text=_("查询码：只在此处给出一次，请妥善保存"))
    acknowledge_by = serializers.DateField(help_text=_("受理告知期限（R16：5 个工作日）"))
    acknowledge_provisional = serializers.BooleanField(
        help_text=_("该年度节假日安排尚未公布时为真，期限届时重新计算")
    )


class ComplaintRepeatedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    number = serializers.CharField()


class ComplaintErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ComplaintTrackQuerySerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=32,
        error_messages={"required": _("请填写登记号。"), "blank": _("请填写登记号。")},
    )
    access_code = serializers.CharField(
        max_length=40,
        error_messages={"required": _("请填写查询码。"), "blank": _("请填写查询码。")},
    )
    altcha = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_(
            "安全验证的解（ALTCHA，base64）：仅当上一次请求返回 429 并给出 challenge 时需要。"
            "按 challenge 求出 number，使 SHA-256(salt + number) 等于 challenge，"
            "再把 algorithm、challenge、number、salt、signature 组成 JSON 并以 base64 编码。"
        ),
    )


class ChallengeSerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    challenge = serializers.CharField()
    maxNumber = serializers.IntegerField()  # noqa: N815 (the widget's name)
    salt = serializers.CharField()
    signature = serializers.CharField()


class ComplaintThrottledSerializer(serializers.Serializer):
    detail = serializers.CharField()
    challenge = ChallengeSerializer(
        required=False,
        help_text=_("需要完成的安全验证（工作量证明），解放在 altcha 字段中重新提交"),
    )


class ComplaintBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ComplaintPublicStepSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = ComplaintEvent
        fields = ["at", "kind", "kind_display", "note"]


class ComplaintTrackSerializer(serializers.ModelSerializer):
    """R16, R17: what the complainant sees: status, deadlines, decision, result and the public
    steps. Never the identity, the handler or an internal step."""

    status_display = serializers.CharField(source="get_status_display")
    agency = ComplaintBriefSerializer()
    category_display = serializers.CharField(source="get_category_display")
    registered_on = serializers.SerializerMethodField()
    refusal_reason_display = serializers.CharField(source="get_refusal_reason_display")
    result = serializers.SerializerMethodField()
    result_display = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "number",
            "status",
            "status_display",
            "agency",
            "category",
            "category_display",
            "registered_on",
            "acknowledge_by",
            "acknowledge_provisional",
            "handling_due",
            "handling_provisional",
            "extension_reason",
            "refusal_reason",
            "refusal_reason_display",
            "transferred_to",
            "material_requested",
            "result",
            "result_display",
            "feedback",
            "closed_at",
            "rating",
            "steps",
        ]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_registered_on(self, complaint: Complaint):
        return f"{timezone.localtime(complaint.registered_at):%Y-%m-%d}"

    def _closed(self, complaint: Complaint) -> bool:
        return complaint.status == Complaint.Status.CLOSED

    @extend_schema_field(serializers.ChoiceField(choices=ResultChoice.choices, allow_blank=True))
    def get_result(self, complaint: Complaint) -> str:
        return complaint.result if self._closed(complaint) else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_result_display(self, complaint: Complaint) -> str:
        return str(complaint.get_result_display()) if self._closed(complaint) else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_feedback(self, complaint: Complaint) -> str:
        return complaint.feedback if self._closed(complaint) else ""

    @extend_schema_field(ComplaintPublicStepSerializer(many=True))
    def get_steps(self, complaint: Complaint):
        return ComplaintPublicStepSerializer(self.context["steps"], many=True).data


# --- Staff ----------------------------------------------------------------------------------


class ComplainantSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    masked = serializers.BooleanField(help_text=_("为真时已遮蔽；查看未遮蔽的身份信息均有记录"))


class RegisterRowSerializer(serializers.ModelSerializer):
    """A register row (R15). `complainant` is set by the view from `complaints.privacy`."""

    status_display = serializers.CharField(source="get_status_display")
    category_display = serializers.CharField(source="get_category_display")
    agency = ComplaintBriefSerializer()
    handler = serializers.SerializerMethodField()
    complainant = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "year",
            "status",
            "status_display",
            "agency",
            "category",
            "category_display",
            "received_via",
            "received_on",
            "acknowledge_by",
            "acknowledge_provisional",
            "handling_due",
            "handling_provisional",
            "due_on",
            "handler",
            "anonymous",
            "complainant",
        ]

    @extend_schema_field(ComplaintBriefSerializer(allow_null=True))
    def get_handler(self, complaint: Complaint):
        handler = complaint.handler
        return None if handler is None else {"id": handler.pk, "name": str(handler)}

    @extend_schema_field(ComplainantSerializer(allow_null=True))
    def get_complainant(self, complaint: Complaint):
        return self.context["identities"].get(complaint.pk)


class ComplaintStaffStepSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintEvent
        fields = ["id", "at", "kind", "kind_display", "note", "public", "actor"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, event: ComplaintEvent) -> str:
        return str(event.actor) if event.actor_id else ""


class ComplaintAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "event", "uploaded_at"]


class ComplaintRequestSerializer(serializers.ModelSerializer):
    """A request to the agency, as the complaint's handler sees it."""

    class Meta:
        model = AgencyRequest
        fields = [
            "id",
            "question",
            "share_identity",
            "respond_by",
            "asked_at",
            "answer",
            "answered_at",
        ]


class ComplaintDetailSerializer(RegisterRowSerializer):
    received_via_display = serializers.CharField(source="get_received_via_display")
    refusal_reason_display = serializers.CharField(source="get_refusal_reason_display")
    result_display = serializers.CharField(source="get_result_display")
    timeline = ComplaintStaffStepSerializer(many=True)
    requests = ComplaintRequestSerializer(many=True)
    attachments = ComplaintAttachmentSerializer(many=True)

    class Meta(RegisterRowSerializer.Meta):
        fields = [
            *RegisterRowSerializer.Meta.fields,
            "received_via_display",
            "registered_at",
            "officer",
            "occurred_on",
            "place",
            "case_number",
            "description",
            "request",
            "handling_started_on",
            "handling_days",
            "extension_days",
            "extension_reason",
            "decided_at",
            "refusal_reason",
            "refusal_reason_display",
            "decision_note",
            "transferred_to",
            "result",
            "result_display",
            "measures",
            "feedback",
            "closed_at",
            "referred_at",
            "material_requested",
            "rating",
            "rating_comment",
            "timeline",
            "requests",
            "attachments",
        ]


class UserIdField(serializers.IntegerField):
    default_error_messages = {"invalid": _("承办人应为用户编号。")}


class ComplaintAcceptSerializer(serializers.Serializer):
    handler = UserIdField(required=False, allow_null=True, help_text=_("同时指定的承办人编号"))
    note = _text(max_length=2000)


class ComplaintRefuseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=RefusalReason.choices,
        error_messages={
            "invalid_choice": _("不予受理必须选择理由。"),
            "required": _("不予受理必须选择理由。"),
        },
    )
    note = _text(max_length=2000)


class ComplaintTransferSerializer(serializers.Serializer):
    to = _text(help_text=_("有权处理的机关"))
    note = _text(max_length=2000)


class ComplaintAssignSerializer(serializers.Serializer):
    handler = UserIdField(error_messages={"required": _("请指定承办人。")})


class ComplaintAskAgencySerializer(serializers.Serializer):
    question = _text()
    share_identity = serializers.BooleanField(required=False, default=False)


class ComplaintStepSerializer(serializers.Serializer):
    note = _text()
    public = serializers.BooleanField(
        required=False, default=False, help_text=_("为真时作为办理进展告知投诉人")
    )


class ComplaintNoteSerializer(serializers.Serializer):
    note = _text()


class ComplaintExtendSerializer(serializers.Serializer):
    reason = _text()


class ComplaintCloseSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=ResultChoice.choices,
        error_messages={"invalid_choice": _("请选择核查结论。"), "required": _("请选择核查结论。")},
    )
    measures = _text()
    feedback = _text()


class AgencyRequestAnswerSerializer(serializers.Serializer):
    answer = _text()


class AgencyRequestSerializer(serializers.ModelSerializer):
    """A written-response request as the agency complained about sees it: the question, not the
    complaint; the complainant's identity only when the handler chose to share it."""

    number = serializers.CharField(source="complaint.number")
    agency = ComplaintBriefSerializer()
    complainant = serializers.SerializerMethodField()

    class Meta:
        model = AgencyRequest
        fields = [
            "id",
            "number",
            "agency",
            "question",
            "share_identity",
            "respond_by",
            "asked_at",
            "answer",
            "answered_at",
            "complainant",
        ]

    @extend_schema_field(ComplainantSerializer(allow_null=True))
    def get_complainant(self, request: AgencyRequest):
        return self.context["identities"].get(request.pk)
