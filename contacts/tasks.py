"""Contact sweeps. Tasks are thin: parse, call the sweep, fan out in batches."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from casework.tasks import send_notification_digests
from core import runs
from core.queue import chunks
from core.tasks import SWEEP_TASK, TRANSIENT_ERRORS

from . import notify, reminders, sweeps


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(**SWEEP_TASK)
def sweep_contact_reminders(today: str | None = None) -> int:
    """Daily: fan out one task per batch of cases so no transaction spans the whole caseload."""
    day = _day(today)
    run = runs.start_run(sweep_contact_reminders.name, day)
    if run is None:  # today's run has already finished (beat and the watchdog both started it)
        return 0
    cases = chunks(sweeps.cases_with_plans().iterator(chunk_size=2000), settings.SWEEP_BATCH_SIZE)
    batches = runs.send_batches(run, remind_contacts_batch, ([batch, day.isoformat()] for batch in cases))
    sweeps.remind_approvals(day)
    sweeps.escalate_absence_decisions(day)
    runs.fanned_out(run, batches)
    send_notification_digests.delay()
    return batches


@shared_task(**SWEEP_TASK)
def remind_contacts_batch(case_ids: list[int], today: str, batch_id: int | None = None) -> int:
    created = sweeps.remind_contacts(case_ids, _day(today))
    runs.batch_done(batch_id)
    return created


@shared_task(**SWEEP_TASK)
def contact_recorded(contact_id: int) -> int:
    """A national-standard contact answers the case's "contact due" reminders and the line manager's
    "contact overdue" escalation: mark them read, so they resolve themselves."""
    return sweeps.resolve_contact_reminders(contact_id)


@shared_task(**SWEEP_TASK)
def change_request_decided(request_id: int) -> int:
    """A request decided: the line managers' "waiting for a decision" reminders resolve themselves."""
    return sweeps.resolve_approval_reminders(request_id)


# Notify rate limits (429) and outages (5xx) are retried with backoff: 30 s, 60 s, 120 s ... up to 30 minutes,
# for about six hours; a permanent refusal is recorded and never retried (contacts.reminders.reminder_deliver).
REMINDER_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (notify.RetryLater, *TRANSIENT_ERRORS),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 15,
}


@shared_task(**REMINDER_TASK)
def reminder_send(reminder_id: int) -> str:
    """Send one reminder through Notify. Idempotent: a reminder no longer scheduled is skipped."""
    return reminders.reminder_deliver(reminder_id)


@shared_task(**SWEEP_TASK)
def sweep_reminders() -> int:
    """Every 15 minutes: schedule appointment reminders and send those due."""
    return reminders.reminders_sweep()


@shared_task(**SWEEP_TASK)
def sweep_weekly_bookings() -> int:
    """Daily: remind officers of weekly plans with next week's appointment not yet booked."""
    return reminders.remind_officers_to_book()
