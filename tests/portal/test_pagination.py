"""Turning the page of a filtered list keeps its filters."""

from django.urls import reverse

from tests.conftest import client_for
from tests.enforcement.staff_factories import LegalBasisFactory, make_draft


def test_the_next_page_of_a_filtered_list_keeps_the_filter(inspector_a, agency_a):
    basis = LegalBasisFactory()
    for n in range(55):
        make_draft(agency_a, inspector_a, basis=basis, code=f"XK-{n:03d}", name=f"许可事项{n}")
    url = reverse("enforcement:staff_item_list")
    html = client_for(inspector_a).get(url, {"status": "draft", "q": "许可"}).content.decode()
    assert "?status=draft&amp;q=%E8%AE%B8%E5%8F%AF&amp;page=2" in html
