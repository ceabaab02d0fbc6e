"""The deadline API's response (presentation only: the arithmetic is in `deadlines`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("被跳过的休息日"))
    reason = serializers.CharField(help_text=_("跳过的原因：周末，或节日名称（如“国庆节”）"))


class WorkedDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("计入的调休上班日（星期六或星期日）"))
    reason = serializers.CharField(
        help_text=_("计为工作日的原因：国务院节假日安排中的调休上班日（如“国庆节调休上班日”）")
    )


class DeadlineSerializer(serializers.Serializer):
    deadline = serializers.DateField(help_text=_("期间的最后一日"))
    provisional = serializers.BooleanField(
        help_text=_("为真时，计算涉及尚未载入节假日安排的年份，结果为暂定")
    )
    skipped = SkippedDaySerializer(many=True, help_text=_("计算中跳过的每一个休息日"))
    worked = WorkedDaySerializer(
        many=True,
        help_text=_(
            "计算中作为工作日计入的每一个星期六、星期日（调休上班日），以及期间末日所在的调休上班日"
        ),
    )


class DeadlineQueryErrorSerializer(serializers.Serializer):
    """Errors by parameter name (non_field_errors for a wrong combination), as DRF gives them."""

    start = serializers.ListField(child=serializers.CharField(), required=False)
    working_days = serializers.ListField(child=serializers.CharField(), required=False)
    months = serializers.ListField(child=serializers.CharField(), required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
