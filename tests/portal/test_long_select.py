"""The portal's select of many options writes the same HTML as Django's, fast."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from portal.widgets import LongSelect


class AgencyForm(forms.Form):
    agency = forms.ChoiceField(
        choices=[("", "全部"), ("1", "松江市市场监督管理局"), ("2", "<script>alert(1)</script>")],
        required=False,
        widget=LongSelect,
    )


def test_it_marks_the_chosen_option_and_keeps_the_fields_name_and_id():
    html = str(AgencyForm({"agency": "1"})["agency"])
    assert html.startswith("<select ") and 'name="agency"' in html and 'id="id_agency"' in html
    assert '<option value="1" selected>松江市市场监督管理局</option>' in html
    assert '<option value="" >' not in html and '<option value="">全部</option>' in html


def test_it_escapes_what_an_agencys_name_holds():
    html = str(AgencyForm()["agency"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_refuses_option_groups_rather_than_dropping_them():
    widget = LongSelect(choices=[("市", [("1", "甲")])])
    with pytest.raises(TypeError, match="option groups"):
        widget.render("agency", None)


def test_it_escapes_values_and_keeps_safe_labels_as_they_are():
    widget = LongSelect(choices=[('a"b', "甲&乙"), ("c", mark_safe("<b>丙</b>"))])
    html = widget.render("agency", 'a"b')
    assert '<option value="a&quot;b" selected>甲&amp;乙</option>' in html
    assert '<option value="c"><b>丙</b></option>' in html
