"""The benchmark data generator: agencies across regions, published items the public can find."""

import pytest
from django.core.management import CommandError, call_command

from enforcement.models import Agency, PowerItem, PublishedPowerItem, Region
from enforcement.selectors import public as selectors

pytestmark = pytest.mark.django_db


def test_it_creates_published_items_across_agencies_and_tops_up_on_a_second_run():
    call_command("generate_bench_data", power_items=60, agencies=20, verbosity=0)
    assert Agency.objects.filter(region__code__startswith="98").count() == 20
    assert Region.objects.get(code="980000").children.count() == 9
    assert PublishedPowerItem.objects.count() == PowerItem.objects.count() == 60
    assert PublishedPowerItem.objects.values("agency").distinct().count() == 20
    item = PublishedPowerItem.objects.select_related("item").first()
    assert item.item.status == PowerItem.Status.PUBLISHED and item.bases and item.search_document
    assert item.region_path == item.agency.region.path
    # Every licensing item carries its category label in the search text, as publishing does.
    licensing = PublishedPowerItem.objects.filter(category="licensing").count()
    found = selectors.search(PublishedPowerItem.objects.all(), "许可").count()
    assert licensing <= found

    call_command("generate_bench_data", power_items=80, agencies=20, verbosity=0)
    assert PublishedPowerItem.objects.count() == 80
    assert Agency.objects.filter(region__code__startswith="98").count() == 20
    codes = PublishedPowerItem.objects.values_list("code", flat=True)
    assert len(set(codes)) == 80


def test_it_refuses_a_negative_number():
    with pytest.raises(CommandError):
        call_command("generate_bench_data", power_items=-1, verbosity=0)
