"""The daily run of reminders and alerts: queue what is due today, then send what waits. Plain values in; flush,
never commit. Each message is unique per account, kind and subject, so a second run on the same day queues
nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_mailman import EmailMessage, Mail

from tracker import policy
from tracker.database import lock_registry
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.models import Notification, TargetStatus, User
from tracker.models._types import utcnow
from tracker.notifications import queries
from tracker.notifications.messages import compose, language_of, link
from tracker.reporting import queries as reporting
from tracker.targets.queries import all_progress

log = logging.getLogger(__name__)
ALERT_STATUSES = ("at_risk", "off_track")


@dataclass(frozen=True)
class RunResult:
    queued: int
    sent: int


def run_daily(on: date, days_before: int, mail: Mail | None) -> RunResult:
    """Queue the day's reminders, the week's digests and the alerts of targets that turned at risk or off track;
    then send every waiting message through `mail` (None: no mail server, they wait in the outbox). Runs at once
    (a worker's task and a command) take turns: the second finds the first's messages queued and sent."""
    lock_registry("notifications")
    queued = queue_reminders(on, days_before) + queue_digests(on) + queue_alerts(on)
    return RunResult(queued, send_pending(mail) if mail is not None else 0)


def queue_reminders(on: date, days_before: int) -> int:
    """A reminder to the officers or exporters of each unit whose month is not submitted, a few days before its
    due date and again the day after it."""
    due = queries.reminders_on(on, days_before)
    recipients: dict[str, dict[int, list[User]]] = {
        metric: queries.unit_recipients(metric, sorted({r.unit.id for r in due if r.metric == metric}))
        for metric in queries.METRICS}
    count = 0
    for reminder in due:
        for user in recipients[reminder.metric].get(reminder.unit.id, []):
            key = f"{reminder.metric}/{reminder.unit.key}/{reminder.month}"
            count += _queue(user, reminder.kind, key, on, lambda language, r=reminder: dict(
                unit=queries.unit_name(r.metric, r.unit.id, language), metric=r.metric, state=r.state,
                month=month_label(r.month.year, r.month.month, language), due=r.due, form=_form_link(r)))
    return count


def _form_link(reminder: queries.Reminder) -> str:
    if reminder.metric == "visitors":
        return link("visitors.entry", code=reminder.unit.key, month=str(reminder.month))
    return link("exports.sales", exporter_id=reminder.unit.id, month=str(reminder.month))


def queue_digests(on: date) -> int:
    """Once a week (the first run of each ISO week), each approver whose queue holds submitted months gets
    their list."""
    year, week, _weekday = on.isocalendar()
    count = 0
    for user in filter(policy.can_approve_months, queries.reminded_accounts()):
        waiting = {metric: reporting.queue(user, metric) for metric in queries.METRICS}
        if not any(waiting.values()):
            continue
        count += _queue(user, "digest", f"{year}-W{week:02d}", on, lambda language, w=waiting: dict(
            visitors=_listed(w["visitors"], language), exports=_listed(w["exports"], language),
            queue=link("reporting.queue"), exports_queue=link("reporting.queue", metric="exports")))
    return count


def _listed(rows: list[reporting.QueueRow], language: str) -> list[tuple[str, str]]:
    """(unit, month) of the waiting months, in the recipient's language."""
    return [(queries.unit_name_by_key(row.metric, row.unit_key, language),
             month_label(row.month.year, row.month.month, language)) for row in rows]


def queue_alerts(on: date) -> int:
    """An alert to every admin when a target's status turns at_risk or off_track since the last run."""
    admins = list(filter(policy.receives_target_alerts, queries.reminded_accounts()))
    count = 0
    for target, progress in all_progress(on):
        seen = db.session.get(TargetStatus, target.id)
        turned = progress.status in ALERT_STATUSES and (seen is None or seen.status != progress.status)
        if seen is None:
            seen = TargetStatus(target_id=target.id)
            db.session.add(seen)
        seen.status, seen.seen_on = progress.status, on
        if not turned:
            continue
        for user in admins:
            count += _queue(user, "alert", f"target/{target.id}/{progress.status}/{on}", on,
                            lambda language, t=target, p=progress: dict(
                                target=t.name_in(language), status=p.status, progress=p, overdue=len(p.overdue_months),
                                page=link("dashboard.target", target_id=t.id)))
    db.session.flush()
    return count


def _queue(user: User, kind: str, key: str, on: date, context) -> int:
    """Queue one message unless the account already has it; `context(language)` gives the template's values."""
    if queries.already_queued(user.id, kind, key):
        return 0
    language = language_of(user)
    subject, body = compose(kind, language, name=user.name, **context(language))
    db.session.add(Notification(user_id=user.id, kind=kind, subject_key=key, day=on, language=language,
                                subject=subject[:200], body=body))
    db.session.flush()
    return 1


def send_pending(mail: Mail) -> int:
    """Send the waiting messages over one connection; a failure stops the sending (the rest wait for the next
    run) and is logged."""
    sent = 0
    try:
        with mail.get_connection() as connection:
            for notification in queries.pending():
                EmailMessage(notification.subject, notification.body, to=[notification.user.email],
                             connection=connection).send()
                notification.sent_at = utcnow()
                sent += 1
    except OSError as error:  # smtplib's errors are OSErrors
        log.warning("sending reminders stopped after %d messages: %s", sent, error)
    db.session.flush()
    return sent


def set_reminders(user: User, enabled: bool) -> None:
    """The account's choice: reminders, digests and alerts by email, or none."""
    user.reminders = enabled
    db.session.flush()
