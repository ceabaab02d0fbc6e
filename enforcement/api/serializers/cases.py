"""Serializers of the scoped staff API of enforcement cases (R5, R6, R7, R30). They parse and
present; the services decide.

A choice set appears in one serializer only (a record's kind in `CaseRecordSerializer`, a
decision's kind and status in `CaseDecisionSerializer`): the schema then names each enum after
its component without an override, so the same serializer parses the request and presents the
answer where both carry the choice.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.fields import ApiDateTimeField
from portal.scoping import scope

from ...models import (
    Agency,
    Case,
    CaseEvent,
    CaseRecord,
    CollectingBank,
    Decision,
    DiscretionTier,
    EvidenceType,
    Ground,
    LegalReview,
    Officer,
    Party,
    PowerItem,
    Stage,
)
from ...selectors.fines import banks_for
from ...services.cases import PartyInput
from .disclosures import AppliedBasisSerializer
from .staff import TierSerializer


def _name(user) -> str:
    return str(user) if user is not None else ""


class CaseAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CasePartySerializer(serializers.ModelSerializer):
    """A party (当事人). The identifier is personal data, shown to those who may read the case,
    as on the case page."""

    kind = serializers.ChoiceField(
        choices=Party.Kind.choices,
        error_messages={
            "invalid_choice": _("请选择当事人类型。"),
            "required": _("请选择当事人类型。"),
        },
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.CharField(
        error_messages={
            "required": _("请填写当事人名称或姓名。"),
            "blank": _("请填写当事人名称或姓名。"),
        }
    )
    identifier = serializers.CharField(
        help_text=_("公民的居民身份证号码，或组织的统一社会信用代码"),
        error_messages={"required": _("请填写证件号码。"), "blank": _("请填写证件号码。")},
    )
    address = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = Party
        fields = ["id", "kind", "kind_display", "name", "identifier", "address"]
        read_only_fields = ["id"]


class CaseOfficerSerializer(serializers.ModelSerializer):
    certificate_status_display = serializers.CharField(source="get_certificate_status_display")

    class Meta:
        model = Officer
        fields = [
            "id",
            "name",
            "certificate_number",
            "certificate_status",
            "certificate_status_display",
        ]


class CaseStageSerializer(serializers.Serializer):
    """R6: one of the five stages, in order, with its flags and how many records it holds."""

    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    done = serializers.BooleanField()
    current = serializers.BooleanField()
    records = serializers.IntegerField(help_text=_("本阶段的记录数（含已更正的旧版本）"))
    current_records = serializers.IntegerField(help_text=_("本阶段的现行记录数（不含旧版本）"))


class CaseEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    actor = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "at", "kind", "kind_display", "actor", "note"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, event: CaseEvent) -> str:
        return _name(event.actor)


class CaseRowSerializer(serializers.ModelSerializer):
    """A case in the list: what it is, whose, where it stands."""

    title = serializers.CharField(source="__str__")
    agency = CaseAgencySerializer()
    source_display = serializers.CharField(source="get_source_display")
    stage_display = serializers.CharField(source="get_stage_display")
    opened_by = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "agency",
            "power_item",
            "item_code",
            "item_name",
            "source",
            "source_display",
            "summary",
            "stage",
            "stage_display",
            "opened_by",
            "opened_at",
            "stage_changed_at",
            "closed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_opened_by(self, case: Case) -> str:
        return _name(case.opened_by)


class CollectingBankSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollectingBank
        fields = ["id", "name", "account_name", "account_number"]


class CaseLegalReviewSerializer(serializers.ModelSerializer):
    """R5: the legal office's five checks, its conclusion and reasons (request and answer)."""

    subject_lawful = serializers.BooleanField(required=False, default=False)
    facts_proven = serializers.BooleanField(required=False, default=False)
    basis_correct = serializers.BooleanField(required=False, default=False)
    discretion_proper = serializers.BooleanField(required=False, default=False)
    procedure_lawful = serializers.BooleanField(required=False, default=False)
    conclusion = serializers.ChoiceField(
        choices=LegalReview.Conclusion.choices,
        error_messages={"invalid_choice": _("请选择审核意见。"), "required": _("请选择审核意见。")},
    )
    conclusion_display = serializers.CharField(source="get_conclusion_display", read_only=True)
    reasons = serializers.CharField(
        error_messages={"required": _("请填写审核理由。"), "blank": _("请填写审核理由。")}
    )
    # R5: the draft the reviewer read; if given, a review of a draft since replaced is refused.
    draft_version = serializers.IntegerField(
        min_value=1,
        required=False,
        default=None,
        allow_null=True,
        help_text=_("所审核的草稿版本（R5）；与决定的当前版本不一致的，审核被拒绝"),
        error_messages={
            "invalid": _("草稿版本应为正整数。"),
            "min_value": _("草稿版本应为正整数。"),
            "max_string_length": _("草稿版本应为正整数。"),
        },
    )
    reviewer = serializers.SerializerMethodField()

    class Meta:
        model = LegalReview
        fields = [
            "id",
            "decision",
            "reviewer",
            "at",
            "subject_lawful",
            "facts_proven",
            "basis_correct",
            "discretion_proper",
            "procedure_lawful",
            "draft_version",
            "conclusion",
            "conclusion_display",
            "reasons",
        ]
        read_only_fields = ["id", "decision", "at"]
        validators: list = []  # the service checks the review; no uniqueness to check here

    @extend_schema_field(OpenApiTypes.STR)
    def get_reviewer(self, review: LegalReview) -> str:
        return _name(review.reviewer)


class CaseDecisionSerializer(serializers.ModelSerializer):
    """R5, R7, R30: the decision as drafted (PUT) and as it stands, with its legal reviews.

    The choices of `tier` and `collecting_bank` are the case's: its item's discretion tiers and
    the banks its region designates (`context["case"]`)."""

    kind = serializers.ChoiceField(
        choices=Decision.Kind.choices,
        error_messages={"invalid_choice": _("请选择决定种类。"), "required": _("请选择决定种类。")},
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    fine_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"invalid": _("罚款金额格式不正确。")},
    )
    collecting_bank = serializers.PrimaryKeyRelatedField(
        queryset=CollectingBank.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("罚款代收银行编号（罚缴分离，R30）；罚款决定不填时为本地区指定的第一家"),
        error_messages={
            "does_not_exist": _("只能选择本地区指定的罚款代收银行（R30）。"),
            "incorrect_type": _("只能选择本地区指定的罚款代收银行（R30）。"),
        },
    )
    collecting_bank_detail = CollectingBankSerializer(
        source="collecting_bank", read_only=True, allow_null=True
    )
    tier = serializers.PrimaryKeyRelatedField(
        queryset=DiscretionTier.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("所适用的裁量基准编号（R7）"),
        error_messages={
            "does_not_exist": _("只能适用本案职权事项的裁量基准。"),
            "incorrect_type": _("只能适用本案职权事项的裁量基准。"),
        },
    )
    tier_detail = TierSerializer(source="tier", read_only=True, allow_null=True)
    outside_tier_reason = serializers.CharField(required=False, allow_blank=True, default="")
    hearing_held = serializers.BooleanField(required=False, default=False)
    explanation = serializers.CharField(
        error_messages={
            "required": _("请填写拟作出决定的情况说明。"),
            "blank": _("请填写拟作出决定的情况说明。"),
        }
    )
    draft = serializers.CharField(
        error_messages={"required": _("请填写决定书草稿。"), "blank": _("请填写决定书草稿。")}
    )
    # R5: the catalogue's grounds that mark the decision major (added to those marked: a redraft
    # never takes a mark off), with the reason.
    grounds = serializers.ListField(
        child=serializers.ChoiceField(
            choices=Ground.choices,
            error_messages={
                "invalid_choice": _("本地区的重大执法决定法制审核目录没有所选的情形。")
            },
        ),
        required=False,
        default=list,
        write_only=True,
        help_text=_("勾选的重大情形（R5），勾选的须写明理由"),
        error_messages={"not_a_list": _("重大情形应为列表。")},
    )
    grounds_reason = serializers.CharField(
        required=False, allow_blank=True, default="", write_only=True, max_length=2000
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    major_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    major_grounds = serializers.ListField(child=serializers.CharField(), read_only=True)
    marked_major_by = serializers.SerializerMethodField()
    issued_by = serializers.SerializerMethodField()
    reviews = CaseLegalReviewSerializer(many=True, read_only=True)
    # R9: the document number and the legal bases applied, fixed when the decision is issued.
    legal_bases = AppliedBasisSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "fine_amount",
            "collecting_bank",
            "collecting_bank_detail",
            "tier",
            "tier_detail",
            "outside_tier_reason",
            "hearing_held",
            "explanation",
            "draft",
            "status",
            "status_display",
            "is_major",
            "major_reasons",
            "draft_version",
            "review_required",
            "marked_major",
            "major_grounds",
            "marked_major_reason",
            "marked_major_by",
            "grounds",
            "grounds_reason",
            "approved_review",
            "number",
            "legal_bases",
            "issued_at",
            "issued_by",
            "reviews",
        ]
        read_only_fields = [
            "id",
            "case",
            "status",
            "is_major",
            "draft_version",
            "review_required",
            "marked_major",
            "marked_major_reason",
            "approved_review",
            "issued_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        if case is not None:
            self.fields["tier"].queryset = case.power_item.discretion_tiers.all()
            self.fields["collecting_bank"].queryset = banks_for(agency=case.agency)

    @extend_schema_field(OpenApiTypes.STR)
    def get_issued_by(self, decision: Decision) -> str:
        return _name(decision.issued_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_marked_major_by(self, decision: Decision) -> str:
        return _name(decision.marked_major_by)


class DecisionMarkSerializer(serializers.Serializer):
    """R5: marking a decision major: the reason, and the catalogue's grounds if any apply."""

    # The values of `CaseDecisionSerializer.grounds` (one enum in the schema); the service
    # refuses a ground the region's catalogue does not list.
    grounds = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text=_("所认定的重大情形（取值同执法决定的 grounds），可不填"),
        error_messages={"not_a_list": _("重大情形应为列表。")},
    )
    reason = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": _("请填写认定为重大执法决定的理由（R5）。"),
            "blank": _("请填写认定为重大执法决定的理由（R5）。"),
            "max_length": _("理由不能超过 2000 个字。"),
        },
    )


class DecisionUnmarkSerializer(serializers.Serializer):
    """R5: taking the mark off (the legal office only), with the reason."""

    reason = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": _("请填写取消认定的理由（R5）。"),
            "blank": _("请填写取消认定的理由（R5）。"),
            "max_length": _("理由不能超过 2000 个字。"),
        },
    )


class CaseDetailSerializer(CaseRowSerializer):
    """R6: the case with its parties, officers, the five stages, its decision and timeline.
    The view puts the stages, the decision and what the user may do into the context."""

    parties = CasePartySerializer(many=True)
    officers = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    timeline = CaseEventSerializer(many=True)
    may_act = serializers.SerializerMethodField(help_text=_("本人可以办理本案（本单位人员）"))
    may_review = serializers.SerializerMethodField(help_text=_("本人可以对本案决定进行法制审核"))

    class Meta(CaseRowSerializer.Meta):
        fields = [
            *CaseRowSerializer.Meta.fields,
            "parties",
            "officers",
            "stages",
            "decision",
            "timeline",
            "may_act",
            "may_review",
        ]

    @extend_schema_field(CaseOfficerSerializer(many=True))
    def get_officers(self, case: Case):
        officers = [assignment.officer for assignment in case.case_officers.all()]
        return CaseOfficerSerializer(officers, many=True).data

    @extend_schema_field(CaseStageSerializer(many=True))
    def get_stages(self, case: Case):
        return CaseStageSerializer(self.context["stages"], many=True).data

    @extend_schema_field(CaseDecisionSerializer(allow_null=True))
    def get_decision(self, case: Case):
        decision = self.context["decision"]
        return None if decision is None else CaseDecisionSerializer(decision).data

    def get_may_act(self, case: Case) -> bool:
        return self.context["may_act"]

    def get_may_review(self, case: Case) -> bool:
        return self.context["may_review"]


class CaseOpenSerializer(serializers.Serializer):
    """R6, stage 1 (立案). Field names are the service's (`case_open`)."""

    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        help_text=_("办案单位编号（本人所在单位）"),
        error_messages={
            "required": _("请选择办案单位。"),
            "does_not_exist": _("没有这个执法主体。"),
            "incorrect_type": _("办案单位应为执法主体编号。"),
        },
    )
    power_item = serializers.PrimaryKeyRelatedField(
        # Only published items: they are public anyway, so a draft's id says nothing.
        queryset=PowerItem.objects.filter(published__isnull=False),
        help_text=_("本单位已公布的权责事项编号"),
        error_messages={
            "required": _("请选择职权事项。"),
            "does_not_exist": _("只能在本单位已公布的权责事项下立案。"),
            "incorrect_type": _("只能在本单位已公布的权责事项下立案。"),
        },
    )
    source = serializers.ChoiceField(
        choices=Case.Source.choices,
        error_messages={"invalid_choice": _("请选择案件来源。"), "required": _("请选择案件来源。")},
    )
    summary = serializers.CharField(
        help_text=_("案由，最多 2000 字"),
        error_messages={"required": _("请填写案由。"), "blank": _("请填写案由。")},
    )
    parties = CasePartySerializer(many=True, allow_empty=True)
    officers = serializers.PrimaryKeyRelatedField(
        queryset=Officer.objects.none(),
        many=True,
        help_text=_("承办执法人员编号（至少两人，须持有效执法证）"),
        error_messages={"required": _("执法人员不得少于两人。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is not None:
            # An officer outside the user's scope is refused like an unknown one.
            officers = self.fields["officers"].child_relation
            officers.queryset = scope(Officer.objects.all(), user)
            officers.error_messages["does_not_exist"] = _("没有这名执法人员。")
            officers.error_messages["incorrect_type"] = _("执法人员应为编号。")

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        data["parties"] = [
            PartyInput(
                kind=p["kind"], name=p["name"], identifier=p["identifier"], address=p["address"]
            )
            for p in data["parties"]
        ]
        return data


class CaseAdvanceSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent as multipart; its type is read from its content by the service."""

    default_error_messages = {
        "required": _("请选择要上传的文件。"),
        "invalid": _("请选择要上传的文件。"),
        "no_name": _("请选择要上传的文件。"),
        "empty": _("上传的文件是空文件。"),
    }


class CaseRecordSerializer(serializers.ModelSerializer):
    """R6: a record of a stage, added as multipart (field names are the service's,
    `case_record_add`) and shown with its SHA-256, size, version and correction."""

    kind = serializers.ChoiceField(
        choices=CaseRecord.Kind.choices,
        error_messages={"invalid_choice": _("请选择记录类型。"), "required": _("请选择记录类型。")},
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    evidence_type = serializers.ChoiceField(
        choices=EvidenceType.choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": _("请选择证据种类。")},
    )
    title = serializers.CharField(
        error_messages={"required": _("请填写名称。"), "blank": _("请填写名称。")}
    )
    recorded_by = serializers.PrimaryKeyRelatedField(
        queryset=Officer.objects.none(),
        help_text=_("记录人：本案承办执法人员的编号"),
        error_messages={
            "required": _("请选择记录人。"),
            "does_not_exist": _("记录人须为本案的承办执法人员。"),
            "incorrect_type": _("记录人须为本案的承办执法人员。"),
        },
    )
    recorded_by_name = serializers.CharField(source="recorded_by.name", read_only=True)
    recorded_at = ApiDateTimeField(
        error_messages={"required": _("请填写记录时间。"), "invalid": _("记录时间格式不正确。")}
    )
    recorded_place = serializers.CharField(
        error_messages={"required": _("请填写记录地点。"), "blank": _("请填写记录地点。")}
    )
    file = UploadField(write_only=True, help_text=_("照片、PDF、Word、录音或视频，按文件内容识别"))
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    superseded_by = serializers.SerializerMethodField()
    is_current = serializers.BooleanField(read_only=True)
    entered_by = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseRecord
        fields = [
            "id",
            "case",
            "stage",
            "stage_display",
            "kind",
            "kind_display",
            "evidence_type",
            "title",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
            "recorded_place",
            "file",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "version",
            "supersedes",
            "superseded_by",
            "correction_reason",
            "is_current",
            "entered_by",
            "entered_at",
            "file_url",
        ]
        read_only_fields = [
            "id",
            "case",
            "stage",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "version",
            "supersedes",
            "correction_reason",
            "entered_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is not None:
            # The service checks that the recorder handles this case; outside the user's scope
            # an officer is refused like an unknown one.
            self.fields["recorded_by"].queryset = scope(Officer.objects.all(), user)

    @extend_schema_field(OpenApiTypes.INT)
    def get_superseded_by(self, record: CaseRecord) -> int | None:
        newer = getattr(record, "superseded_by", None)
        return None if newer is None else newer.pk

    @extend_schema_field(OpenApiTypes.STR)
    def get_entered_by(self, record: CaseRecord) -> str:
        return _name(record.entered_by)

    @extend_schema_field(OpenApiTypes.URI)
    def get_file_url(self, record: CaseRecord) -> str:
        return reverse("api:staff-case-record-file", args=[record.case_id, record.pk])


class CaseRecordCorrectSerializer(serializers.Serializer):
    """R6: a correction is a new version of the record, with its reason (`case_record_correct`)."""

    file = UploadField(help_text=_("更正后的文件，按文件内容识别"))
    reason = serializers.CharField(
        max_length=500,
        error_messages={"required": _("请填写更正理由。"), "blank": _("请填写更正理由。")},
    )
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text=_("新名称（可选）")
    )


class CaseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="__str__")
    agency = CaseAgencySerializer()
    item_code = serializers.CharField()
    item_name = serializers.CharField()


class LegalReviewQueueRowSerializer(serializers.Serializer):
    """R5: a decision awaiting the legal office's review, with its case and submission time."""

    case = CaseBriefSerializer()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decision = serializers.SerializerMethodField()

    @extend_schema_field(CaseDecisionSerializer)
    def get_decision(self, decision: Decision):
        return CaseDecisionSerializer(decision).data
