"""R24, R28: each region's time limits and sanction bands are kept in the admin by the supervisors
of that region (and the administrator); another city's are out of scope; a band whose heaviest
sanction is lighter than its lightest is refused. A region's band then proposes the band of its
cases (see test_proportionality)."""

import pytest
from django.urls import reverse

from accountability.models import AccountabilityRules, SanctionBand
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
ADD = reverse("admin:accountability_accountabilityrules_add")


def _form(region, **band) -> dict:
    data = {
        "region": region.pk,
        "handling_days": "20",
        "notice_days": "5",
        "defence_days": "5",
        "decision_days": "10",
        "transfer_days": "10",
        "review_days": "15",
        "review_decision_days": "15",
        "bands-TOTAL_FORMS": "1",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
        "bands-0-fault": "ordinary",
        "bands-0-consequence": "minor",
        "bands-0-officer_low": "training",
        "bands-0-officer_high": "removal",
        "bands-0-unit_low": "rectification",
        "bands-0-unit_high": "circulated",
    }
    return data | {f"bands-0-{k}": v for k, v in band.items()}


def test_a_supervisor_keeps_the_rules_and_bands_of_its_region(city_a, city_supervisor):
    """R24, R28: saved with the band; the labels are Chinese."""
    client = client_for(city_supervisor)
    page = client.get(ADD)
    assert page.status_code == 200 and "处理档次" in page.content.decode()
    assert client.post(ADD, _form(city_a)).status_code == 302
    rules = AccountabilityRules.objects.get(region=city_a)
    assert rules.handling_days == 20
    assert SanctionBand.objects.get(rules=rules).officer_high == "removal"


def test_a_band_upside_down_is_refused(city_a, city_supervisor):
    """R28: the heaviest sanction of a band is not lighter than its lightest; nothing saved."""
    response = client_for(city_supervisor).post(
        ADD, _form(city_a, officer_low="withdrawal", officer_high="criticism")
    )
    assert (
        response.status_code == 200 and "最重的处理不能轻于最轻的处理" in response.content.decode()
    )
    assert not AccountabilityRules.objects.exists()


def test_another_city_s_rules_are_out_of_scope(city_b, city_supervisor, city_b_supervisor):
    """R24: city A's supervisor neither sees nor keeps city B's rules."""
    rules = AccountabilityRules.objects.create(region=city_b)
    client = client_for(city_supervisor)
    listing = client.get(reverse("admin:accountability_accountabilityrules_changelist"))
    assert listing.status_code == 200 and str(city_b) not in listing.content.decode()
    change = reverse("admin:accountability_accountabilityrules_change", args=[rules.pk])
    assert client.get(change).status_code in (302, 403, 404)
    response = client.post(ADD, _form(city_b))
    assert response.status_code == 200  # the region is not among the choices
    assert AccountabilityRules.objects.count() == 1
