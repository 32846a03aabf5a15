"""Sweep tasks survive a database or broker blip: retried with backoff for about an hour, never lost."""

import pytest
from celery.utils.time import get_exponential_backoff_interval
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from casework.tasks import send_notification_digests
from config.celery import app
from contacts import sweeps as contact_sweeps
from contacts.tasks import contact_recorded, remind_contacts_batch, sweep_contact_reminders
from risk import case_status
from risk import sweeps as risk_sweeps
from risk.tasks import refresh_case_status_batch, remind_enquiries_batch, sweep_case_status, sweep_enquiries

SWEEP_TASKS = [
    sweep_contact_reminders,
    remind_contacts_batch,
    contact_recorded,
    sweep_enquiries,
    remind_enquiries_batch,
    sweep_case_status,
    refresh_case_status_batch,
    send_notification_digests,
]


@pytest.mark.parametrize("task", SWEEP_TASKS, ids=lambda task: task.name)
def test_sweep_tasks_are_redelivered_if_the_worker_dies(task):
    assert task.acks_late and task.reject_on_worker_lost


def test_workers_take_one_message_at_a_time():
    assert app.conf.worker_prefetch_multiplier == 1


def test_retries_back_off_and_give_up_after_about_an_hour():
    task = remind_contacts_batch
    waits = [
        get_exponential_backoff_interval(task.retry_backoff, n, task.retry_backoff_max, task.retry_jitter)
        for n in range(task.max_retries)
    ]
    assert waits[:3] == [5, 10, 20] and max(waits) == 600
    assert 55 * 60 <= sum(waits) <= 65 * 60


@pytest.mark.parametrize(
    ("task", "module", "function"),
    [
        (remind_contacts_batch, contact_sweeps, "remind_contacts"),
        (remind_enquiries_batch, risk_sweeps, "remind_enquiries"),
        (refresh_case_status_batch, case_status, "refresh"),
    ],
)
@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), BrokerError("refused")])
def test_a_batch_that_hits_a_database_or_broker_error_is_retried_until_it_succeeds(
    db, monkeypatch, task, module, function, error
):
    calls = []

    def flaky(case_ids, today):
        calls.append(case_ids)
        if len(calls) < 3:
            raise error
        return len(case_ids)

    monkeypatch.setattr(module, function, flaky)
    # Eager here, so the retries run at once rather than after their countdown.
    result = task.delay([1, 2], timezone.localdate().isoformat())
    assert result.get() == 2 and calls == [[1, 2]] * 3
