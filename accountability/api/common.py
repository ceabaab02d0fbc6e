"""What the accountability API's views share: strict text input and the registers' pages."""

from rest_framework import serializers

from portal.pagination import KeysFirstPagination, PageNumberPagination


class TextField(serializers.CharField):
    """Text only: a number or a list where text is expected is a wrong type, not text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RegisterPagination(PageNumberPagination):
    """50 rows a page, up to 200 on request (`page_size`)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LargeRegisterPagination(KeysFirstPagination, RegisterPagination):
    """The same pages over a register of tens of thousands of rows: keys first."""
