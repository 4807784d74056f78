from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import ReportingMonth, Revision
from tracker.periods import Month
from tracker.reporting import queries, services
from tracker.reporting.services import CommentRequired, TransitionRefused, transition
from tracker.reporting.units import Unit

APRIL = Month(2015, 4)


@pytest.fixture
def shibuya(app):
    return factories.area("131130")


@pytest.fixture
def people(shibuya):
    tokyo = shibuya.parent
    exporter = factories.new_exporter(shibuya, name="渋谷酒造")
    people = {
        "officer": factories.user("officer", areas=[shibuya]),
        "other_officer": factories.user("officer", areas=[factories.area("131016")]),
        "prefecture": factories.user("officer", areas=[tokyo]),
        "osaka": factories.user("officer", areas=[factories.area("271004")]),
        "admin": factories.user("admin"),
        "viewer": factories.user("viewer"),
        "exporter": factories.user("exporter", exporter=exporter),
        "other_exporter": factories.user("exporter"),
    }
    db.session.commit()
    return people


def _entered(area, month=APRIL):
    factories.visitor_count(area, month.year, month.month, "CN", 100)


def test_the_units_officer_submits_a_month_with_figures_and_the_prefecture_approves_it(people, shibuya):
    _entered(shibuya)
    unit = Unit.of(shibuya)
    assert transition(people["officer"], unit, APRIL, "submit") == "submitted"
    assert transition(people["prefecture"], unit, APRIL, "approve") == "approved"
    row = db.session.scalar(select(ReportingMonth))
    assert (row.metric, row.area_id, row.status) == ("visitors", shibuya.id, "approved")
    assert row.submitted_by_id == people["officer"].id and row.approved_by_id == people["prefecture"].id
    assert row.submitted_at is not None and row.approved_at is not None
    revisions = db.session.scalars(select(Revision).order_by(Revision.id)).all()
    assert [(r.table_name, r.record_key, r.old_value, r.new_value, r.note, r.user_id) for r in revisions] == [
        ("reporting_months", "visitors/131130/2015-04", "entered", "submitted", "submit", people["officer"].id),
        ("reporting_months", "visitors/131130/2015-04", "submitted", "approved", "approve", people["prefecture"].id),
    ]


def test_a_month_without_figures_cannot_be_submitted(people, shibuya):
    with pytest.raises(TransitionRefused):
        transition(people["officer"], Unit.of(shibuya), APRIL, "submit")
    assert db.session.scalar(select(ReportingMonth)) is None


@pytest.mark.parametrize("who", ["other_officer", "viewer", "exporter", "osaka"])
def test_only_the_units_officers_and_admins_submit(people, shibuya, who):
    _entered(shibuya)
    with pytest.raises(PermissionError):
        transition(people[who], Unit.of(shibuya), APRIL, "submit")
    assert transition(people["admin"], Unit.of(shibuya), APRIL, "submit") == "submitted"


@pytest.mark.parametrize("who", ["officer", "other_officer", "viewer", "exporter", "osaka"])
def test_only_an_officer_above_the_unit_or_an_admin_approves(people, shibuya, who):
    _entered(shibuya)
    transition(people["officer"], Unit.of(shibuya), APRIL, "submit")
    with pytest.raises(PermissionError):
        transition(people[who], Unit.of(shibuya), APRIL, "approve")
    assert transition(people["admin"], Unit.of(shibuya), APRIL, "approve") == "approved"


def test_a_return_needs_a_comment_and_sends_the_month_back_to_entered(people, shibuya):
    _entered(shibuya)
    unit = Unit.of(shibuya)
    transition(people["officer"], unit, APRIL, "submit")
    with pytest.raises(CommentRequired):
        transition(people["prefecture"], unit, APRIL, "return", "  ")
    assert transition(people["prefecture"], unit, APRIL, "return", "KR looks low") == "entered"
    row = db.session.scalar(select(ReportingMonth))
    assert (row.status, row.return_comment, row.returned_by_id) == ("open", "KR looks low", people["prefecture"].id)
    assert services.current_state(unit, APRIL) == "entered"
    assert transition(people["officer"], unit, APRIL, "submit") == "submitted"


def test_a_reopen_needs_a_reason_is_recorded_and_unlocks_back_to_entered(people, shibuya):
    _entered(shibuya)
    unit = Unit.of(shibuya)
    transition(people["officer"], unit, APRIL, "submit")
    transition(people["prefecture"], unit, APRIL, "approve")
    with pytest.raises(PermissionError):
        transition(people["officer"], unit, APRIL, "reopen", "typo")
    with pytest.raises(CommentRequired):
        transition(people["prefecture"], unit, APRIL, "reopen", "")
    assert transition(people["prefecture"], unit, APRIL, "reopen", "CN was double counted") == "entered"
    row = db.session.scalar(select(ReportingMonth))
    assert (row.status, row.reopen_reason) == ("open", "CN was double counted")
    last = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert (last.old_value, last.new_value, last.note) == ("approved", "entered", "reopen: CN was double counted")


@pytest.mark.parametrize(("setup", "action"), [
    ([], "approve"), ([], "return"), ([], "reopen"), (["submit"], "submit"), (["submit"], "reopen"),
    (["submit", "approve"], "approve"), (["submit", "approve"], "submit"), (["submit", "approve"], "return"),
])
def test_transitions_the_current_state_does_not_allow_are_refused(people, shibuya, setup, action):
    _entered(shibuya)
    unit = Unit.of(shibuya)
    for step in setup:
        transition(people["admin"], unit, APRIL, step)
    with pytest.raises(TransitionRefused):
        transition(people["admin"], unit, APRIL, action, "because")


def test_an_exporter_submits_its_own_sales_and_its_municipalitys_officer_approves(people, shibuya):
    exporter = people["exporter"].exporter
    factories.export_sale(factories.product(exporter), 2015, 4, "HK", 5000)
    unit = Unit.of(exporter)
    with pytest.raises(PermissionError):
        transition(people["other_exporter"], unit, APRIL, "submit")
    with pytest.raises(PermissionError):
        transition(people["officer"], unit, APRIL, "submit")
    assert transition(people["exporter"], unit, APRIL, "submit", source="api") == "submitted"
    with pytest.raises(PermissionError):
        transition(people["exporter"], unit, APRIL, "approve")
    with pytest.raises(PermissionError):
        transition(people["osaka"], unit, APRIL, "approve")
    assert transition(people["officer"], unit, APRIL, "approve") == "approved"
    revision = db.session.scalars(select(Revision).order_by(Revision.id)).first()
    assert (revision.record_key, revision.source) == (f"exports/{exporter.id}/2015-04", "api")


def test_an_area_outside_the_unit_set_cannot_be_submitted(people, shibuya):
    tokyo = shibuya.parent
    _entered(tokyo)
    with pytest.raises(PermissionError):
        transition(people["admin"], Unit.of(tokyo), APRIL, "submit")
    services.set_rule("visitors", 1, 15, listed_units=True)
    services.set_unit_areas([tokyo])
    assert transition(people["admin"], Unit.of(tokyo), APRIL, "submit") == "submitted"


def test_states_due_dates_and_lateness_per_unit_with_an_exception(people, shibuya):
    chuo = factories.area("131016")
    minato = factories.area("131032")
    _entered(shibuya)
    _entered(chuo)
    services.set_exception(Unit.of(chuo), 2, None)
    transition(people["officer"], Unit.of(shibuya), APRIL, "submit", now=datetime(2015, 5, 10, tzinfo=UTC))
    rows = queries.month_states("visitors", queries.units_in("visitors", shibuya.parent), [APRIL], date(2015, 6, 1))
    found = {row.unit.key: (row.state, row.due, row.late) for row in rows}
    assert found == {
        "131016": ("entered", date(2015, 6, 30), False),
        "131032": ("missing", date(2015, 5, 15), True),
        "131130": ("submitted", date(2015, 5, 15), False),
    }
    assert minato.id in {row.unit.id for row in rows}
