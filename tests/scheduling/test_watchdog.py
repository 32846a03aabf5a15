"""Sweeps always finish: each run is recorded, lost batches are sent again, a sweep beat missed is caught up,
and admins are told once when a sweep is late."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from casework.constants import NotificationKind, Role
from casework.models import Notification
from casework.tasks import sweep_watchdog
from contacts import tasks as contact_tasks
from core.models import SweepBatch, SweepRun
from tests import factories
from tests.scheduling.test_sweeps import plan_with_last_contact

LONDON = ZoneInfo("Europe/London")
THURSDAY = datetime(2026, 11, 26, 6, 30, tzinfo=LONDON)


@pytest.fixture
def overdue_cases(db, north, settings):
    """Five cases with contact long overdue, two to a batch: three batches, five reminders, five escalations."""
    settings.SWEEP_BATCH_SIZE = 2
    cases = [factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer) for _ in range(5)]
    for case in cases:
        plan_with_last_contact(case, north.officer, frequency=7, days_ago=30)
    return cases


@pytest.fixture
def admin(db):
    return factories.UserFactory(username="admin.ops", role=Role.ADMIN, grade="")


def reminders():
    notices = Notification.objects.exclude(kind=NotificationKind.SWEEP_LATE)
    return sorted(notices.values_list("kind", "service_user", "recipient"))


def clean_run(north, cases):
    """What a clean contact sweep on Thursday leaves: one reminder to the officer and one escalation to the
    line manager for each case, nothing twice."""
    due, overdue = NotificationKind.CONTACT_DUE, NotificationKind.CONTACT_OVERDUE
    return sorted([(due, c.pk, north.officer.pk) for c in cases] + [(overdue, c.pk, north.manager.pk) for c in cases])


def test_a_sweep_records_its_run_and_each_batch(overdue_cases, north):
    with time_machine.travel(THURSDAY, tick=False):
        assert contact_tasks.sweep_contact_reminders.delay().get() == 3
    run = SweepRun.objects.get(sweep="contacts.tasks.sweep_contact_reminders")
    assert (run.run_on, run.batches_expected, run.batches_completed) == (THURSDAY.date(), 3, 3)
    assert run.finished_at is not None
    assert list(run.batches.values_list("number", "args")) == [
        (1, [[overdue_cases[0].pk, overdue_cases[1].pk], "2026-11-26"]),
        (2, [[overdue_cases[2].pk, overdue_cases[3].pk], "2026-11-26"]),
        (3, [[overdue_cases[4].pk], "2026-11-26"]),
    ]
    assert len(reminders()) == 10 and reminders() == clean_run(north, overdue_cases)


def test_a_second_run_the_same_day_does_nothing(overdue_cases, north):
    with time_machine.travel(THURSDAY, tick=False):
        contact_tasks.sweep_contact_reminders.delay()
        assert contact_tasks.sweep_contact_reminders.delay().get() == 0
    assert SweepBatch.objects.count() == 3 and len(reminders()) == 10


def test_a_lost_batch_is_sent_again_by_the_watchdog_and_the_run_finishes(overdue_cases, north, monkeypatch):
    real_apply = contact_tasks.remind_contacts_batch.apply_async
    lost = []

    def lose_the_second_batch(args=None, kwargs=None, **options):
        if args[0] == [overdue_cases[2].pk, overdue_cases[3].pk] and not lost:
            lost.append(args)  # a worker killed before it acknowledged, a message lost with the broker
            return None
        return real_apply(args=args, kwargs=kwargs, **options)

    monkeypatch.setattr(contact_tasks.remind_contacts_batch, "apply_async", lose_the_second_batch)
    with time_machine.travel(THURSDAY, tick=False):
        contact_tasks.sweep_contact_reminders.delay()
    run = SweepRun.objects.get()
    assert lost and (run.batches_completed, run.finished_at) == (2, None)
    with time_machine.travel(THURSDAY + timedelta(minutes=10), tick=False):
        sweep_watchdog.delay()  # too soon: the batch may still be running
    assert SweepRun.objects.get().batches_completed == 2
    with time_machine.travel(THURSDAY + timedelta(minutes=25), tick=False):
        sweep_watchdog.delay()
    run.refresh_from_db()
    assert run.batches_completed == 3 and run.finished_at is not None
    assert SweepBatch.objects.get(number=2).attempts == 2
    assert reminders() == clean_run(north, overdue_cases)


def test_the_watchdog_starts_a_daily_sweep_beat_missed(overdue_cases, north, admin):
    call_command("setup_periodic_tasks", stdout=StringIO())
    # Beat was down from 02:00 until 06:45: nothing ran. The watchdog finds the 02:00 and 06:30 runs missing.
    with time_machine.travel(THURSDAY + timedelta(minutes=15), tick=False):
        sweep_watchdog.delay()
    started = set(SweepRun.objects.filter(finished_at__isnull=False).values_list("sweep", flat=True))
    assert {"risk.tasks.sweep_case_status", "contacts.tasks.sweep_contact_reminders"} <= started
    assert len(reminders()) == 10
    # Beat comes back and sends the 06:30 sweep late: the run has finished, so nothing is sent twice.
    with time_machine.travel(THURSDAY + timedelta(minutes=20), tick=False):
        assert contact_tasks.sweep_contact_reminders.delay().get() == 0
    assert reminders() == clean_run(north, overdue_cases)
    assert not Notification.objects.filter(kind=NotificationKind.SWEEP_LATE).exists()  # caught up in time


def test_admins_are_told_once_when_a_sweep_is_late(overdue_cases, north, admin, monkeypatch):
    call_command("setup_periodic_tasks", stdout=StringIO())
    # Every worker is stuck: the sweeps the watchdog sends never run.
    for name in ("sweep_contact_reminders",):
        monkeypatch.setattr(getattr(contact_tasks, name), "apply_async", lambda *a, **k: None)
    from risk import tasks as risk_tasks

    for name in ("sweep_case_status", "sweep_enquiries"):
        monkeypatch.setattr(getattr(risk_tasks, name), "apply_async", lambda *a, **k: None)
    for minutes in (90, 95, 120):
        with time_machine.travel(THURSDAY + timedelta(minutes=minutes), tick=False):
            sweep_watchdog.delay()
    told = Notification.objects.filter(recipient=admin, kind=NotificationKind.SWEEP_LATE)
    messages = sorted(told.values_list("message", flat=True))
    assert len(messages) == 3  # the case status, enquiry and contact sweeps, once each
    assert messages[0].startswith("Daily contact reminders and approval reminders (26 November 2026) has not")
    assert not Notification.objects.filter(recipient=north.officer, kind=NotificationKind.SWEEP_LATE).exists()
