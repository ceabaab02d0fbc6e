"""R20: the weighted indicator scheme of a cycle: edited while the cycle is open, every edit a
version with who and when, its total shown with a warning when it is not 100; bad input refused
in Chinese and nothing changes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.models import CycleEvent, Indicator, Score
from assessment.services.cycles import cycle_close, indicator_remove, indicator_save

from .cycle_helpers import open_cycle

pytestmark = pytest.mark.django_db


def _save(cycle, actor, **kwargs):
    values = {
        "code": "D1",
        "name": "执法公示",
        "category": Indicator.Category.ENFORCEMENT,
        "max_points": "5",
    } | kwargs
    return indicator_save(cycle=cycle, actor=actor, **values)


def test_an_added_indicator_is_a_version_and_an_event(city_a, city_supervisor):
    cycle = open_cycle(city_a, city_supervisor)
    indicator = _save(cycle, city_supervisor)
    version = indicator.history.get()
    assert version.history_user == city_supervisor and version.history_type == "+"
    assert cycle.events.filter(kind=CycleEvent.Kind.SCHEME_CHANGED).count() == 1


def test_a_change_keeps_the_earlier_version(city_a, city_supervisor):
    cycle = open_cycle(city_a, city_supervisor)
    indicator = cycle.indicators.get(code="C1")
    _save(cycle, city_supervisor, indicator=indicator, code="C1", name="社会满意度", max_points="8")
    assert [v.name for v in indicator.history.order_by("history_date")] == [
        "社会评议",
        "社会满意度",
    ]


def test_an_unscored_indicator_is_removed_and_its_history_kept(city_a, city_supervisor):
    cycle = open_cycle(city_a, city_supervisor)
    indicator = cycle.indicators.get(code="C1")
    indicator_remove(indicator=indicator, actor=city_supervisor)
    assert not cycle.indicators.filter(code="C1").exists()
    assert Indicator.history.filter(id=indicator.pk, history_type="-").exists()


def test_a_scored_indicator_is_not_removed(city_a, city_supervisor, agency_a):
    cycle = open_cycle(city_a, city_supervisor)
    indicator = cycle.indicators.get(code="C1")
    Score.objects.create(
        assignment=cycle.assignments.get(agency=agency_a),
        indicator=indicator,
        points=Decimal("8"),
        evidence="评议卡满意率 80%。",
        scored_by=city_supervisor,
    )
    with pytest.raises(ValidationError, match="已有评分"):
        indicator_remove(indicator=indicator, actor=city_supervisor)
    with pytest.raises(ValidationError, match="调低"):
        _save(
            cycle, city_supervisor, indicator=indicator, code="C1", name="社会评议", max_points="5"
        )
    assert cycle.indicators.filter(code="C1", max_points=Decimal("10")).exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("max_points", "0", "分值应大于 0"),
        ("max_points", "150", "分值应大于 0"),
        ("max_points", "-5", "分值应大于 0"),
        ("max_points", "abc", "分值应大于 0"),
        ("max_points", "NaN", "分值应大于 0"),
        ("max_points", "1.234", "两位小数"),
        ("code", "A1", "已有编号"),
        ("name", "<script>alert(1)</script>", "网页代码"),
        ("name", "=cmd|' /C calc'!A0", "公式"),
        ("name", "执法\x07公示", "控制字符"),
        ("guidance", "扣分\x1b[31m", "控制字符"),
        ("code", "", "请填写编号"),
        ("category", "other", "类别"),
        ("figure", "nonsense", "统计指标"),
    ],
)
def test_bad_indicators_are_refused_in_chinese(city_a, city_supervisor, field, value, message):
    cycle = open_cycle(city_a, city_supervisor)
    before = list(cycle.indicators.values_list("code", "name", "max_points"))
    with pytest.raises(ValidationError, match=message):
        _save(cycle, city_supervisor, **{field: value})
    assert list(cycle.indicators.values_list("code", "name", "max_points")) == before
    assert not cycle.events.filter(kind=CycleEvent.Kind.SCHEME_CHANGED).exists()


def test_a_closed_cycles_scheme_is_not_edited(city_a, city_supervisor):
    cycle = open_cycle(city_a, city_supervisor)
    cycle_close(cycle=cycle, actor=city_supervisor)
    with pytest.raises(ValidationError, match="已结束"):
        _save(cycle, city_supervisor)
    with pytest.raises(ValidationError, match="已结束"):
        indicator_remove(indicator=cycle.indicators.first(), actor=city_supervisor)
    assert cycle.indicators.count() == 9


@pytest.mark.parametrize("persona", ["inspector_a", "legal_office_a", "sysadmin", "outsider_b"])
def test_only_the_supervisor_edits_the_scheme(request, city_a, city_supervisor, persona):
    cycle = open_cycle(city_a, city_supervisor)
    with pytest.raises(PermissionDenied):
        _save(cycle, request.getfixturevalue(persona))


def test_the_page_warns_when_the_total_is_not_100(city_a, city_supervisor, client):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(city_supervisor)
    page = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "合计 100.00 分" in page and "不是 100 分" not in page
    _save(cycle, city_supervisor)
    page = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "合计 105.00 分" in page and "不是 100 分" in page


def test_the_pages_add_change_and_remove_an_indicator(city_a, city_supervisor, client):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(city_supervisor)
    base = f"/assessment/cycles/{cycle.pk}/indicators"
    data = {"code": "D1", "name": "执法公示", "category": "enforcement", "max_points": "5"}
    assert client.post(f"{base}/new/", data).status_code == 302
    added = cycle.indicators.get(code="D1")
    assert client.get(f"{base}/{added.pk}/").status_code == 200
    response = client.post(f"{base}/{added.pk}/", data | {"max_points": "150"})
    assert response.status_code == 400
    assert "分值应大于 0" in response.content.decode()
    assert client.post(f"{base}/{added.pk}/", data | {"max_points": "4"}).status_code == 302
    assert client.post(f"{base}/{added.pk}/remove/").status_code == 302
    versions = client.get(f"{base}/versions/").content.decode()
    assert "执法公示" in versions and "city_supervisor" in versions
    assert "删除" in versions


def test_the_versions_page_does_not_grow_its_queries(
    city_a, city_supervisor, client, django_assert_max_num_queries
):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(city_supervisor)
    url = f"/assessment/cycles/{cycle.pk}/indicators/versions/"
    client.get(url)
    for n in range(10):
        _save(cycle, city_supervisor, code=f"E{n}", name=f"指标{n}", max_points="1")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_page_refuses_to_edit_a_closed_cycles_scheme(city_a, city_supervisor, client):
    cycle = open_cycle(city_a, city_supervisor)
    cycle_close(cycle=cycle, actor=city_supervisor)
    client.force_login(city_supervisor)
    data = {"code": "D1", "name": "执法公示", "category": "enforcement", "max_points": "5"}
    response = client.post(f"/assessment/cycles/{cycle.pk}/indicators/new/", data)
    assert response.status_code == 400 and "已结束" in response.content.decode()
    assert not cycle.indicators.filter(code="D1").exists()
    page = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "新增指标" not in page


def test_the_page_refuses_script_in_an_indicators_name(city_a, city_supervisor, client):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(city_supervisor)
    data = {"code": "D1", "name": "<script>x</script>", "category": "enforcement"}
    response = client.post(
        f"/assessment/cycles/{cycle.pk}/indicators/new/", data | {"max_points": "5"}
    )
    assert response.status_code == 400 and "网页代码" in response.content.decode()
    assert not cycle.indicators.filter(code="D1").exists()
