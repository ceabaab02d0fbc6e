"""The deadline API's response (presentation only: the arithmetic is in `deadlines`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("被跳过的休息日"))
    reason = serializers.CharField(help_text=_("跳过的原因：周末，或节日名称（如“国庆节”）"))


class DeadlineSerializer(serializers.Serializer):
    deadline = serializers.DateField(help_text=_("期间的最后一日"))
    provisional = serializers.BooleanField(
        help_text=_("为真时，计算涉及尚未载入节假日安排的年份，结果为暂定")
    )
    skipped = SkippedDaySerializer(many=True, help_text=_("计算中跳过的每一个休息日"))


class DeadlineQueryErrorSerializer(serializers.Serializer):
    """Errors by parameter name (non_field_errors for a wrong combination), as DRF gives them."""

    start = serializers.ListField(child=serializers.CharField(), required=False)
    working_days = serializers.ListField(child=serializers.CharField(), required=False)
    months = serializers.ListField(child=serializers.CharField(), required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
