"""Leadership's filter: the dashboard, a target's page and its progress read approved figures only."""

from __future__ import annotations

import pytest

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.periods import Month
from tracker.reporting.services import transition
from tracker.reporting.units import Unit
from tracker.rollups import refresh_export_rollups, refresh_visitor_rollups
from tracker.targets.queries import monthly_totals
from tracker.targets.scope import Scope

EN = {"Accept-Language": "en"}


def _approve(admin, subject, month: Month) -> None:
    transition(admin, Unit.of(subject), month, "submit")
    transition(admin, Unit.of(subject), month, "approve")


@pytest.fixture
def shibuya_target(app):
    """Shibuya reported every month of 2024 (100 each); January to June are approved."""
    admin = factories.user("admin")
    shibuya = factories.area("131130")
    for month in range(1, 13):
        factories.visitor_count(shibuya, 2024, month, "CN", 100)
    for month in range(1, 7):
        _approve(admin, shibuya, Month(2024, month))
    target = factories.target(shibuya, name="Shibuya 2025", baseline_year=2023, baseline_value=1_000,
                              target_year=2025, target_value=1_210)
    db.session.commit()
    return target


def test_the_progress_of_approved_figures_alone_counts_the_unapproved_months_as_not_reported(client, shibuya_target):
    headers = {"Authorization": f"Bearer {issue_token(factories.user('viewer'))}"}
    db.session.commit()
    url = f"/api/v1/targets/{shibuya_target.id}/progress"
    everything = client.get(url, headers=headers).get_json()
    assert everything["status"] == "on_track" and everything["headline_year"] == 2024
    assert [y["actual"] for y in everything["years"] if y["year"] == 2024] == [1_200]
    approved = client.get(url + "?approved=1", headers=headers).get_json()
    assert [y["actual"] for y in approved["years"] if y["year"] == 2024] == [600]
    assert approved["overdue_months"][:6] == [f"2024-{m:02d}" for m in range(7, 13)]
    assert approved["status"] == "no_data" and approved["projected"] is None


def test_the_dashboard_and_the_target_page_offer_the_filter_and_keep_it(client, auth, shibuya_target):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    index = client.get("/dashboard/?approved=1", headers=EN).get_data(as_text=True)
    assert "Approved figures only." in index
    assert f'href="/dashboard/targets/{shibuya_target.id}?approved=1"' in index
    # July 2024 to December 2025 are not reported as approved figures
    assert "No figures yet" in index and "18 months not reported" in index
    page = client.get(f"/dashboard/targets/{shibuya_target.id}?approved=1", headers=EN).get_data(as_text=True)
    assert 'name="approved" value="1" checked' in page
    assert "annual.csv?approved=1" in page
    csv = f"/dashboard/targets/{shibuya_target.id}/annual.csv"
    approved = client.get(csv + "?approved=1", headers=EN).data.decode("utf-8-sig")
    assert "2024,600,6," in approved
    everything = client.get(csv, headers=EN).data.decode("utf-8-sig")
    assert "2024,1200,12," in everything


def test_a_sum_of_the_areas_below_reads_the_approved_months_of_each_unit(app):
    admin = factories.user("admin")
    shibuya, chuo = factories.area("131130"), factories.area("131024")
    factories.visitor_count(shibuya, 2024, 1, "CN", 100)
    factories.visitor_count(chuo, 2024, 1, "CN", 50)
    factories.visitor_count(chuo, 2024, 2, "KR", 70)
    _approve(admin, shibuya, Month(2024, 1))
    _approve(admin, chuo, Month(2024, 2))
    exporter = factories.new_exporter(shibuya)
    sake = factories.product(exporter)
    factories.export_sale(sake, 2024, 1, "HK", 1_000)
    factories.export_sale(sake, 2024, 2, "HK", 2_000)
    _approve(admin, exporter, Month(2024, 2))
    refresh_visitor_rollups([(2024, 1), (2024, 2)])
    refresh_export_rollups([(2024, 1), (2024, 2)])
    tokyo = shibuya.parent
    visitors = factories.target(tokyo, include_subareas=True)
    exports = factories.target(tokyo, metric="export_value", include_subareas=True, baseline_value=1_000,
                               target_value=2_000)
    nation = factories.target(factories.area("JP"), include_subareas=True)
    db.session.flush()
    assert monthly_totals(Scope.of(visitors)) == {Month(2024, 1): 150, Month(2024, 2): 70}
    assert monthly_totals(Scope.of(visitors, approved_only=True)) == {Month(2024, 1): 100, Month(2024, 2): 70}
    assert monthly_totals(Scope.of(nation, approved_only=True)) == {Month(2024, 1): 100, Month(2024, 2): 70}
    assert monthly_totals(Scope.of(exports)) == {Month(2024, 1): 1_000, Month(2024, 2): 2_000}
    assert monthly_totals(Scope.of(exports, approved_only=True)) == {Month(2024, 2): 2_000}
