"""Form widgets of the portal's own."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

SELECTED = SafeString(" selected")


class LongSelect(forms.Select):
    """A select of many options (a province supervisor's 1,500 agencies), its options written
    in Python rather than through one template render each: Django's per-option templates cost
    about a tenth of a millisecond an option, most of a register page's time at that size.
    Flat choices only (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option, label in self.choices:
            if isinstance(label, (list, tuple)):
                raise TypeError("LongSelect takes no option groups")
            option = "" if option is None else str(option)
            options.append((option, SELECTED if option in chosen else "", label))
        rows = format_html_join("", '<option value="{}"{}>{}</option>', options)
        return format_html("<select{}>{}</select>", flatatt(final), rows)
