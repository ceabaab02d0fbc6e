"""Date and time fields for forms and the API that take ASCII digits only (portal.params).

Python's `strptime` reads "２０２６-01-01" as a date: a date travels as ISO 8601 text with
ASCII digits, which is what date inputs send, so anything else is refused as malformed with the
field's own message.
"""

import re

from django import forms
from rest_framework import serializers

_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of any script but ASCII


def _other_digits(value) -> bool:
    return isinstance(value, str) and bool(_OTHER_DIGIT.search(value))


class DateField(forms.DateField):
    def to_python(self, value):
        if _other_digits(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DateTimeField(forms.DateTimeField):
    def to_python(self, value):
        if _other_digits(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ApiDateField(serializers.DateField):
    def to_internal_value(self, value):
        if _other_digits(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class ApiDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        if _other_digits(value):
            self.fail("invalid", format="YYYY-MM-DDThh:mm")
        return super().to_internal_value(value)
