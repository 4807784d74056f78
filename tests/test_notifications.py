"""Reminders and alerts: who gets what on which day, in their language, once; sent through SMTP or kept."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tracker.cli import main
from tracker.extensions import db
from tracker.jobs.queue import queue
from tracker.models import Notification, TargetStatus
from tracker.periods import Month
from tracker.reporting.services import transition
from tracker.reporting.units import Unit

APRIL = Month(2025, 4)
EN = {"Accept-Language": "en"}
# a mail server, with Flask-Mailman's in-memory backend standing in for SMTP
SMTP = {"MAIL_SERVER": "smtp.example.jp", "MAIL_BACKEND": "locmem"}


@pytest.fixture
def app_config(app_config, request):
    return {**app_config, **getattr(request, "param", {})}


def _send(runner, day: str):
    result = runner.invoke(main, ["reminders", "send", "--today", day], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    db.session.rollback()  # read what the command committed
    return result.output.strip()


def _messages(kind: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


@pytest.fixture
def world(app):
    """Four municipalities of Tokyo for April 2025: one missing (its officer reads Japanese), one entered (English),
    one submitted and approved, one whose officer turned reminders off; an exporter with nothing for April; a prefecture
    officer who approves."""
    missing, entered, submitted, quiet = (factories.area(code) for code in ("131130", "131024", "131016", "131032"))
    people = {
        "missing": factories.user("officer", areas=[missing], language="ja", email="missing@example.jp"),
        "entered": factories.user("officer", areas=[entered], language="en", email="entered@example.jp"),
        "submitted": factories.user("officer", areas=[submitted], email="submitted@example.jp"),
        "quiet": factories.user("officer", areas=[quiet], email="quiet@example.jp"),
        "exporter": factories.user("exporter", exporter=factories.new_exporter(missing, name="渋谷酒造"),
                                   language="ja", email="exporter@example.jp"),
        "prefecture": factories.user("officer", areas=[missing.parent], language="en", email="tokyo@example.jp"),
    }
    people["quiet"].reminders = False
    for area in (entered, submitted):
        factories.visitor_count(area, APRIL.year, APRIL.month, "CN", 100)
    transition(people["submitted"], Unit.of(submitted), APRIL, "submit")
    transition(people["prefecture"], Unit.of(submitted), APRIL, "approve")
    db.session.commit()
    return people


def test_a_few_days_before_the_due_date_the_units_that_have_not_submitted_are_reminded_in_their_language(
        runner, world):
    # April's visitor figures are due on May 15: May 12 is three days before
    assert _send(runner, "2025-05-12") == "queued 2, sent 0"
    reminders = _messages("due_soon")
    assert sorted(n.user.email for n in reminders) == ["entered@example.jp", "missing@example.jp"]
    japanese = next(n for n in reminders if n.user.email == "missing@example.jp")
    assert japanese.language == "ja" and japanese.subject.startswith("【期限間近】テスト市131130 2025年4月分の訪日客数")
    assert "2025年5月15日" in japanese.subject and "まだ数値が入力されていません" in japanese.body
    assert "http://127.0.0.1:5000/visitors/131130/2025-04" in japanese.body
    english = next(n for n in reminders if n.user.email == "entered@example.jp")
    assert english.language == "en"
    assert english.subject == "Due soon: visitor figures of Test City 131024 for April 2025 are due on May 15, 2025"
    assert "entered but not submitted yet" in english.body
    assert all(n.sent_at is None and n.day == date(2025, 5, 12) for n in reminders)


def test_a_second_run_the_same_day_queues_nothing(runner, world):
    assert _send(runner, "2025-05-12") == "queued 2, sent 0"
    assert _send(runner, "2025-05-12") == "queued 0, sent 0"
    assert _send(runner, "2025-05-13") == "queued 0, sent 0"  # the same reminder is never queued again
    assert len(_messages()) == 2


def test_the_day_after_the_due_date_the_late_units_are_reminded_again(runner, world):
    assert _send(runner, "2025-05-15") == "queued 0, sent 0"  # the due day itself: neither before nor after
    assert _send(runner, "2025-05-16") == "queued 2, sent 0"
    overdue = _messages("overdue")
    assert sorted(n.user.email for n in overdue) == ["entered@example.jp", "missing@example.jp"]
    assert next(n for n in overdue if n.language == "ja").subject.startswith("【期限超過】")


def test_no_reminder_once_a_month_is_submitted(runner, world):
    entered = factories.area("131024")
    transition(world["entered"], Unit.of(entered), APRIL, "submit")
    db.session.commit()
    assert _send(runner, "2025-05-16") == "queued 2, sent 0"  # one reminder, and the prefecture's digest
    assert [n.user.email for n in _messages("overdue")] == ["missing@example.jp"]
    assert [n.user.email for n in _messages("digest")] == ["tokyo@example.jp"]


def test_exporters_are_reminded_of_their_sales_before_the_end_of_the_next_month(runner, world):
    # April's export sales are due on May 31
    assert _send(runner, "2025-05-28") == "queued 1, sent 0"
    (reminder,) = _messages("due_soon")
    assert reminder.user.email == "exporter@example.jp"
    assert reminder.subject == "【期限間近】渋谷酒造 2025年4月分の輸出実績は2025年5月31日が提出期限です"
    assert f"/exports/exporters/{world['exporter'].exporter_id}/sales?month=2025-04" in reminder.body


def test_approvers_get_a_weekly_digest_of_the_months_waiting_for_them(runner, world):
    admin = factories.user("admin", email="admin@example.jp", language="ja")
    transition(world["entered"], Unit.of(factories.area("131024")), APRIL, "submit")
    db.session.commit()
    _send(runner, "2025-05-05")  # a Monday
    digests = _messages("digest")
    assert sorted(n.user.email for n in digests) == ["admin@example.jp", "tokyo@example.jp"]
    english = next(n for n in digests if n.user.email == "tokyo@example.jp")
    assert english.subject == "Weekly: 1 month waits for your approval"
    assert "- Test City 131024, April 2025" in english.body
    japanese = next(n for n in digests if n.user_id == admin.id)
    assert "承認待ちの月が1件" in japanese.subject and "- テスト市131024 2025年4月" in japanese.body
    assert _send(runner, "2025-05-09") == "queued 0, sent 0"  # the same week
    assert len(_messages("digest")) == 2
    _send(runner, "2025-05-12")  # the next week, still waiting
    assert len(_messages("digest")) == 4


def test_admins_are_alerted_once_when_a_target_turns_off_track(runner, app):
    admin = factories.user("admin", email="admin@example.jp", language="en")
    factories.user("admin", email="quiet-admin@example.jp").reminders = False
    area = factories.area("131130")
    for month in range(1, 13):
        factories.visitor_count(area, 2024, month, "CN", 50)  # 600 in 2024 against 1,000 required
    target = factories.target(area, name="Shibuya 2026", baseline_year=2024, baseline_value=1_000,
                              target_year=2026, target_value=1_210)
    db.session.commit()
    assert _send(runner, "2025-01-10") == "queued 1, sent 0"
    (alert,) = _messages("alert")
    assert alert.user_id == admin.id
    assert alert.subject == "Target alert: Shibuya 2026 is off track"
    assert f"http://127.0.0.1:5000/dashboard/targets/{target.id}" in alert.body
    assert db.session.get(TargetStatus, target.id).status == "off_track"
    assert _send(runner, "2025-01-11") == "queued 0, sent 0"  # still off track: no new alert


@pytest.mark.parametrize("app_config", [SMTP], indirect=True)
def test_with_a_mail_server_the_messages_are_sent_once(runner, app, world):
    outbox = app.extensions["mailman"].outbox = []
    assert _send(runner, "2025-05-12") == "queued 2, sent 2"
    assert sorted(m.to[0] for m in outbox) == ["entered@example.jp", "missing@example.jp"]
    japanese = next(m for m in outbox if m.to == ["missing@example.jp"])
    assert japanese.subject.startswith("【期限間近】") and japanese.from_email == "tracker@localhost"
    assert all(n.sent_at is not None for n in _messages())
    assert _send(runner, "2025-05-12") == "queued 0, sent 0"
    assert len(outbox) == 2


def test_the_outbox_is_for_admins_and_each_account_turns_reminders_off(client, auth, runner, world):
    _send(runner, "2025-05-12")
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    page = client.get("/notifications/outbox", headers=EN).get_data(as_text=True)
    assert "No mail server is set" in page and "Due soon: visitor figures of Test City 131024" in page
    auth.logout()
    auth.login(world["entered"].email)
    assert client.get("/notifications/outbox").status_code == 403
    account = client.get("/account", headers=EN).get_data(as_text=True)
    assert 'name="reminders"' in account and "checked" in account[account.index('name="reminders"') - 80:]
    response = client.post("/notifications/preferences", data={"save_reminders": "Save"}, headers=EN)
    assert response.status_code == 302
    db.session.rollback()
    assert world["entered"].reminders is False
    assert _send(runner, "2025-05-16") == "queued 1, sent 0"  # only the officer who kept them on


def test_the_worker_runs_the_reminders_every_day_at_nine_in_japan(app):
    huey = queue(app).huey
    names = [task.name for task in huey.read_periodic(datetime(2025, 5, 12, 0, 0))]
    assert "tracker.send_reminders" in names
    assert "tracker.send_reminders" not in [task.name for task in huey.read_periodic(datetime(2025, 5, 12, 1, 0))]
