"""A real Celery worker consuming from the real broker (Redis in CI), running a sweep end to end."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.models import Notification
from config.celery import app
from contacts.constants import Outcome
from contacts.tasks import sweep_contact_reminders
from tests import factories

# The machine's broker queue is shared: with one real worker at a time, no process's worker takes another's tasks.
pytestmark = pytest.mark.xdist_group("shared-broker")


@pytest.fixture
def real_worker():
    """Not eager: tasks travel through the broker to a worker thread, as in production."""
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left on the shared queue by an earlier run (tasks for a database now gone)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        _close_worker_connections()


def _close_worker_connections():
    """The worker thread's database connection outlives it (persistent connections): end it, so the test
    database can be dropped at the end of the run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.mark.django_db(transaction=True)
def test_sweep_runs_on_a_real_worker(real_worker):
    from tests.conftest import make_staff

    north = make_staff("NTH")
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    factories.ContactPlanFactory(service_user=case, frequency_days=7)
    factories.ContactFactory(
        service_user=case,
        officer=north.officer,
        outcome=Outcome.ATTC,
        starts_at=timezone.now() - timezone.timedelta(days=30),
    )
    result = sweep_contact_reminders.delay()
    assert result.id  # sent to the broker, not run in this thread
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Notification.objects.filter(recipient=north.officer).exists():
        time.sleep(0.2)
    reminder = Notification.objects.get(recipient=north.officer)
    assert reminder.kind == "contact_due" and case.crn in reminder.message


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_writes_the_heartbeat_the_readiness_check_reads(real_worker, client):
    from core.models import Heartbeat

    assert Heartbeat.objects.filter(name="worker", beat_at__gte=timezone.now() - timezone.timedelta(minutes=1)).exists()


@pytest.mark.django_db(transaction=True)
def test_beat_writes_its_heartbeat_as_it_ticks():
    from core.beat import Scheduler
    from core.models import Heartbeat

    scheduler = Scheduler(app=app)
    scheduler.tick()
    assert Heartbeat.objects.get(name="beat").beat_at >= timezone.now() - timezone.timedelta(minutes=1)
