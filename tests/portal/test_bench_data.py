"""The benchmark data generator: agencies across regions, published items the public can find,
complaints in the registers with a due set of a chosen size."""

import pytest
from django.core.management import CommandError, call_command
from django.utils.timezone import localdate

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


def _registers_are_gapless():
    """R15: per register and year, sequences 1..n, each number once, the counter at n."""
    from django.db.models import Count, Max, Min

    from complaints.models import Complaint, RegisterCounter

    counters = {(c.region_id, c.year): c.last for c in RegisterCounter.objects.all()}
    registers = Complaint.objects.values("region_id", "year").annotate(
        n=Count("pk"), low=Min("sequence"), high=Max("sequence")
    )
    for register in registers:
        assert register["low"] == 1 and register["high"] == register["n"]
        assert counters[(register["region_id"], register["year"])] == register["n"]
    numbers = Complaint.objects.values_list("number", flat=True)
    assert len(set(numbers)) == len(numbers)


def test_it_fills_the_registers_with_complaints_in_every_status_and_a_fixed_due_set():
    """R15–R17 at scale: every status, numbers gapless per register, exactly N due."""
    from complaints.benchdata import complaints_sweep_undo
    from complaints.models import Complaint
    from complaints.services.deadlines import complaint_deadlines_sweep, warning_horizon

    call_command("generate_bench_data", complaints=400, due=6, agencies=20, verbosity=0)
    assert Complaint.objects.count() == 400
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Complaint.Status.values)
    assert not Complaint.objects.exclude(status__in=Complaint.OPEN).exclude(due_on=None).exists()
    assert not Complaint.objects.filter(status__in=Complaint.OPEN, due_on=None).exists()
    _registers_are_gapless()
    horizon = warning_horizon(localdate())
    due = Complaint.objects.filter(due_on__lte=horizon, status__in=Complaint.OPEN)
    assert due.filter(reminded_on=None, escalated_on=None).count() == 6
    # the rest of them were reminded and escalated on earlier days: nothing left to send
    assert not due.exclude(reminded_on=None).filter(reminded_on__gte=localdate()).exists()
    for complaint in Complaint.objects.all():
        complaint.full_clean(exclude=["access_code_hash"])  # every column as the model wants it

    swept = complaint_deadlines_sweep()
    assert swept["reminded"] == 6 and swept["escalated"] >= 1
    assert complaints_sweep_undo() == 6
    assert complaint_deadlines_sweep() == swept  # the same work again

    call_command("generate_bench_data", complaints=500, due=6, agencies=20, verbosity=0)
    assert Complaint.objects.count() == 500
    _registers_are_gapless()
    assert Complaint.objects.filter(due_on__lte=horizon, reminded_on=None).count() == 6

    call_command("generate_bench_data", complaints=100, due=3, agencies=20, verbosity=0)
    assert Complaint.objects.count() == 100  # more than wanted: replaced
    _registers_are_gapless()
    assert Complaint.objects.filter(due_on__lte=horizon, reminded_on=None).count() == 3


def test_it_refuses_due_without_complaints_and_a_due_set_larger_than_the_open_complaints():
    with pytest.raises(CommandError):
        call_command("generate_bench_data", due=3, verbosity=0)
    with pytest.raises(CommandError):
        call_command("generate_bench_data", complaints=20, due=50, agencies=5, verbosity=0)
