from dataclasses import replace

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.extensions import db
from tracker.models import Target
from tracker.targets.services import TargetError, TargetInput, create_target, update_target

NATIONAL = TargetInput(name="18 million by 2016", metric="visitors", area="JP", baseline_year=2011,
                       target_year=2016, target_value=18_000_000)


def _year(area, year, monthly, market="CN", first_month=1):
    for i in range(12):
        month = (first_month - 1 + i) % 12 + 1
        factories.visitor_count(area, year + (first_month - 1 + i) // 12, month, market, monthly)


def test_the_baseline_value_defaults_to_the_recorded_actual_of_the_baseline_year(app):
    _year(factories.area("JP"), 2011, 500_000)
    target = create_target(NATIONAL)
    assert (target.baseline_value, target.area.code, target.include_subareas) == (6_000_000, "JP", False)


def test_a_fiscal_baseline_sums_april_to_march(app):
    _year(factories.area("JP"), 2011, 100, first_month=4)
    factories.visitor_count(factories.area("JP"), 2011, 3, "CN", 99_999)  # FY2010: not in the baseline
    target = create_target(replace(NATIONAL, year_basis="fiscal", target_value=5_000))
    assert target.baseline_value == 1_200


def test_a_given_baseline_value_is_kept(app):
    target = create_target(replace(NATIONAL, baseline_value=6_218_752))
    assert target.baseline_value == 6_218_752


def test_an_incomplete_baseline_year_asks_for_the_value_and_writes_nothing(app):
    for month in range(1, 12):
        factories.visitor_count(factories.area("JP"), 2011, month, "CN", 10)
    with pytest.raises(TargetError) as raised:
        create_target(NATIONAL)
    assert set(raised.value.errors) == {"baseline_value"}
    assert "11 months" in raised.value.errors["baseline_value"]
    db.session.rollback()
    assert db.session.scalar(select(func.count(Target.id))) == 0


def test_every_bad_field_is_named_at_once(app):
    bad = TargetInput(name=" ", metric="tourists", area="12345X", baseline_year=2016, target_year=2011,
                      target_value=0, year_basis="lunar", market="QQ")
    with pytest.raises(TargetError) as raised:
        create_target(bad)
    assert set(raised.value.errors) == {"name", "metric", "area", "year_basis", "target_year", "target_value",
                                        "market"}


def test_filters_belong_to_their_metric(app):
    sake = factories.product(factories.new_exporter(factories.area("151009")))
    with pytest.raises(TargetError) as raised:
        create_target(replace(NATIONAL, baseline_value=1, product=sake.id, destination="US"))
    assert set(raised.value.errors) == {"product", "destination"}
    with pytest.raises(TargetError) as raised:
        create_target(replace(NATIONAL, metric="export_value", baseline_value=1, market="CN"))
    assert set(raised.value.errors) == {"market"}


def test_an_export_target_for_a_product_needs_the_exporter_in_its_area(app):
    sake = factories.product(factories.new_exporter(factories.area("151009")))
    data = replace(NATIONAL, metric="export_value", area="130001", baseline_value=1_000, target_value=2_000,
                   product=sake.id, destination="us")
    with pytest.raises(TargetError) as raised:
        create_target(data)
    assert set(raised.value.errors) == {"product"}
    target = create_target(replace(data, area="150002"))
    assert (target.product_id, target.destination.code) == (sake.id, "US")


def test_the_target_value_must_exceed_the_baseline(app):
    with pytest.raises(TargetError) as raised:
        create_target(replace(NATIONAL, baseline_value=20_000_000))
    assert set(raised.value.errors) == {"target_value"}
    _year(factories.area("JP"), 2011, 2_000_000)
    with pytest.raises(TargetError) as raised:
        create_target(NATIONAL)
    assert "24,000,000" in raised.value.errors["target_value"]


def test_an_update_that_fails_leaves_the_target_as_it_was(app):
    target = create_target(replace(NATIONAL, baseline_value=6_218_752))
    db.session.commit()
    with pytest.raises(TargetError):
        update_target(target, replace(NATIONAL, name="changed", baseline_value=6_218_752, target_year=2010))
    db.session.rollback()
    assert db.session.get(Target, target.id).name == "18 million by 2016"
    update_target(target, replace(NATIONAL, name="60 million by 2030", baseline_year=2019, baseline_value=31_882_049,
                                  target_year=2030, target_value=60_000_000))
    db.session.commit()
    saved = db.session.get(Target, target.id)
    assert (saved.name, saved.baseline_year, saved.target_value) == ("60 million by 2030", 2019, 60_000_000)
