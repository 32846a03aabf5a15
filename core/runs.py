"""Sweeps that always finish: a record of each run and its batches, and a watchdog that makes up for what was lost.

A sweep task calls `start_run` (None when the day's run has already finished, so a second beat or a catch-up
does nothing), sends its batches through `send_batches` (each batch is recorded with its arguments first) and
calls `fanned_out` once every batch is sent. Each batch task calls `batch_done(batch_id)` when its work is
saved. Every few minutes `watch` (casework.tasks.sweep_watchdog) sends again any batch not done after
`STALE_BATCH` (a worker killed before it acknowledged, a message lost with the broker), starts a daily sweep
whose scheduled time passed with no run for today (beat was down across it), and lists the sweeps that are
late, so admins are told once and /health/ready reports them. Batches are idempotent (dedupe keys), so a
batch sent twice creates nothing twice.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .models import Heartbeat, SweepBatch, SweepRun
from .queue import task_named

logger = logging.getLogger(__name__)

# The daily sweeps the watchdog looks after, by task name. Their times come from beat's schedule in the admin.
DAILY_SWEEPS = (
    "risk.tasks.sweep_case_status",
    "risk.tasks.sweep_enquiries",
    "contacts.tasks.sweep_contact_reminders",
    "risk.tasks.weekly_digest",
)
# A batch not done this long after it was sent is sent again: longer than the task time limit (15 minutes).
STALE_BATCH = timedelta(minutes=20)
# A daily sweep with no run this long after its scheduled time is started by the watchdog.
CATCH_UP_AFTER = timedelta(minutes=10)
# Batches older than this are left alone: the next day's run covers the same cases.
RESEND_FOR = timedelta(days=1)


@dataclass(frozen=True)
class LateSweep:
    sweep: str
    run_on: date
    due_at: datetime
    name: str  # as admins see it in the schedule, e.g. "Daily contact reminders and approval reminders"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.run_on.day} {self.run_on:%B %Y})"


def start_run(sweep: str, day: date) -> SweepRun | None:
    """Today's run of `sweep`, created or resumed; None if it already finished."""
    run, _ = SweepRun.objects.get_or_create(sweep=sweep, run_on=day)
    return None if run.finished_at else run


def send_batches(run: SweepRun, task, batches) -> int:
    """Record and send each batch of arguments (`[case_ids, day]`) to `task`, with `batch_id` as a keyword.
    On a resumed run, batches already done are not sent again."""
    count = 0
    for count, args in enumerate(batches, start=1):
        batch, created = SweepBatch.objects.get_or_create(
            run=run, number=count, defaults={"task_name": task.name, "args": args}
        )
        if created or batch.completed_at is None:
            task.apply_async(args=batch.args, kwargs={"batch_id": batch.pk})
    return count


def fanned_out(run: SweepRun, batches: int) -> None:
    """Every batch has been sent: the run finishes when the last of them is done (now, if there are none)."""
    SweepRun.objects.filter(pk=run.pk).update(batches_expected=batches)
    _finish_if_complete(run.pk)


def batch_done(batch_id: int | None) -> None:
    if batch_id is None:  # sent by hand, outside a recorded run
        return
    now = timezone.now()
    if SweepBatch.objects.filter(pk=batch_id, completed_at__isnull=True).update(completed_at=now):
        run_id = SweepBatch.objects.filter(pk=batch_id).values_list("run_id", flat=True).first()
        _finish_if_complete(run_id)


def _finish_if_complete(run_id: int) -> None:
    completed = SweepBatch.objects.filter(run_id=run_id, completed_at__isnull=False).count()
    SweepRun.objects.filter(pk=run_id).update(batches_completed=completed)
    SweepRun.objects.filter(
        pk=run_id, finished_at__isnull=True, batches_expected__isnull=False, batches_expected__lte=completed
    ).update(finished_at=timezone.now())


# --- The watchdog ------------------------------------------------------------------------------------------


def watch(now: datetime | None = None) -> list[LateSweep]:
    """Send again what was lost, start daily sweeps beat missed, and return the sweeps that are late."""
    now = now or timezone.now()
    resend_stale_batches(now)
    catch_up(now)
    return late_sweeps(now)


def resend_stale_batches(now: datetime) -> int:
    stale = SweepBatch.objects.filter(
        completed_at__isnull=True, sent_at__lt=now - STALE_BATCH, run__started_at__gte=now - RESEND_FOR
    )
    count = 0
    for batch in stale:
        task_named(batch.task_name).apply_async(args=batch.args, kwargs={"batch_id": batch.pk})
        SweepBatch.objects.filter(pk=batch.pk).update(sent_at=now, attempts=batch.attempts + 1)
        logger.warning("Sweep batch %s was not done after %s; sent again", batch, STALE_BATCH)
        count += 1
    return count


def catch_up(now: datetime) -> list[str]:
    """Start each daily sweep that was due today but has no run, or whose run never got going (the sweep
    task itself was lost before it sent its batches)."""
    started = []
    for sweep, run_on, due_at, _name in _due_today(now):
        if now < due_at + CATCH_UP_AFTER:
            continue
        run = SweepRun.objects.filter(sweep=sweep, run_on=run_on).first()
        stalled = run is not None and run.batches_expected is None and run.started_at < now - STALE_BATCH
        if run is None or stalled:
            if run is None:
                SweepRun.objects.create(sweep=sweep, run_on=run_on, started_at=now)
            else:
                SweepRun.objects.filter(pk=run.pk).update(started_at=now)
            task_named(sweep).apply_async(args=[run_on.isoformat()])
            logger.warning("Daily sweep %s for %s had not run by %s; started it", sweep, run_on, due_at)
            started.append(sweep)
    return started


def late_sweeps(now: datetime | None = None) -> list[LateSweep]:
    """Daily sweeps due today more than SWEEP_LATE_AFTER_MINUTES ago whose run has not finished."""
    now = now or timezone.now()
    late_after = timedelta(minutes=settings.SWEEP_LATE_AFTER_MINUTES)
    late = []
    for sweep, run_on, due_at, name in _due_today(now):
        if now < due_at + late_after:
            continue
        if not SweepRun.objects.filter(sweep=sweep, run_on=run_on, finished_at__isnull=False).exists():
            late.append(LateSweep(sweep=sweep, run_on=run_on, due_at=due_at, name=name))
    return late


def mark_reported(late: LateSweep) -> bool:
    """True the first time a late run is reported (admins are told once)."""
    run, _ = SweepRun.objects.get_or_create(sweep=late.sweep, run_on=late.run_on)
    unreported = SweepRun.objects.filter(pk=run.pk, late_reported_at__isnull=True)
    return bool(unreported.update(late_reported_at=timezone.now()))


def _due_today(now: datetime):
    """(sweep, local date, first scheduled time today, schedule name) for each enabled daily sweep due by `now`."""
    from django_celery_beat.models import PeriodicTask

    entries = PeriodicTask.objects.filter(task__in=DAILY_SWEEPS, enabled=True, crontab__isnull=False).select_related(
        "crontab"
    )
    for entry in entries:
        due_at = _scheduled_today(entry.crontab, now)
        if due_at is not None:
            yield entry.task, due_at.date(), due_at, entry.name


def _scheduled_today(crontab, now: datetime) -> datetime | None:
    cron = crontab.schedule
    zone = ZoneInfo(str(crontab.timezone))
    local = now.astimezone(zone)
    weekday = local.isoweekday() % 7  # crontab counts Sunday as 0
    if weekday not in cron.day_of_week or local.day not in cron.day_of_month or local.month not in cron.month_of_year:
        return None
    first = min(time(hour, minute) for hour in cron.hour for minute in cron.minute)
    due_at = datetime.combine(local.date(), first, tzinfo=zone)
    return due_at if due_at <= local else None


# --- Heartbeats --------------------------------------------------------------------------------------------


def heartbeat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def heartbeat_age(name: str) -> timedelta | None:
    beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    return None if beat_at is None else timezone.now() - beat_at
