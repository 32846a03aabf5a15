"""Faults injected under a real worker process and a real broker (a redis-server of the test's own), each
ending with exactly the notifications of a clean run: nothing lost, nothing twice.

Both run on SQLite (locally) and PostgreSQL (CI). The database outage is, on PostgreSQL, every connection to
the test database terminated and new ones refused for 10 seconds; on SQLite, the database locked against
writers for 10 seconds by another connection (the nearest thing a file database has to being away).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg2
import pytest
from django.db import connection

from casework.constants import NotificationKind
from casework.models import Notification
from config.celery import app
from contacts.tasks import sweep_contact_reminders
from core.models import SweepRun
from tests import factories
from tests.conftest import make_staff

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LONDON = ZoneInfo("Europe/London")


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


@pytest.fixture
def overdue_cases(settings):
    """Six cases with contact long overdue, two to a batch: three batches, six reminders and six escalations."""
    settings.SWEEP_BATCH_SIZE = 2
    north = make_staff("NTH")
    last_seen = datetime.now(LONDON) - timedelta(days=30)
    cases = []
    for _ in range(6):
        case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
        factories.ContactPlanFactory(
            service_user=case, frequency_days=7, starts_on=last_seen.date() - timedelta(days=90)
        )
        factories.ContactFactory(service_user=case, officer=north.officer, outcome="ATTC", starts_at=last_seen)
        cases.append(case)
    return north, cases


def clean_run(north, cases):
    due, overdue = NotificationKind.CONTACT_DUE, NotificationKind.CONTACT_OVERDUE
    return sorted([(due, c.pk, north.officer.pk) for c in cases] + [(overdue, c.pk, north.manager.pk) for c in cases])


def notifications():
    return sorted(Notification.objects.values_list("kind", "service_user", "recipient"))


@pytest.fixture
def worker(broker_on_own_redis, tmp_path, settings):
    """Start a real worker process against the test's Redis and database; stopped (TERM) at the end."""
    processes = []

    def start(**fault_env):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_on_own_redis.url,
            "SWEEP_BATCH_SIZE": str(settings.SWEEP_BATCH_SIZE),
            "CONN_MAX_AGE": "0",
            **fault_env,
        }
        log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.faulty_worker"], cwd=BASE_DIR, env=env, stdout=log, stderr=log
        )
        processes.append(process)
        return process

    app.conf.task_always_eager = False
    try:
        yield start
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        for process in processes:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for_the_run_to_finish(seconds: float = 90) -> SweepRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = SweepRun.objects.filter(sweep=sweep_contact_reminders.name, finished_at__isnull=False).first()
        if run is not None:
            return run
        time.sleep(0.3)
    raise AssertionError(f"The sweep did not finish: {list(SweepRun.objects.values())}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_child_killed_mid_sweep_loses_nothing_and_doubles_nothing(overdue_cases, worker, tmp_path):
    north, cases = overdue_cases
    marker = tmp_path / "killed-once"
    worker(FAULT="kill-after-batch", FAULT_MARKER=str(marker))
    sweep_contact_reminders.delay()
    run = wait_for_the_run_to_finish()
    assert marker.exists()  # a child really was killed with a batch's reminders saved but not acknowledged
    assert (run.batches_expected, run.batches_completed) == (3, 3)
    assert notifications() == clean_run(north, cases)


class DatabaseAway:
    """Keeps the test database away from the worker for `seconds`, from a connection of its own."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.happened = False

    def start(self):
        self.thread.start()

    def join(self):
        self.thread.join()

    def _run(self):
        if connection.vendor == "postgresql":
            self._postgres()
        else:
            self._sqlite()
        self.happened = True

    def _postgres(self):
        s = connection.settings_dict
        own = psycopg2.connect(
            dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"]
        )
        own.autocommit = True
        name = s["NAME"]
        with own.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            try:
                deadline = time.monotonic() + self.seconds
                while time.monotonic() < deadline:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid() AND application_name <> 'pytest'",
                        [name],
                    )
                    time.sleep(0.2)
            finally:
                cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        own.close()

    def _sqlite(self):
        locker = sqlite3.connect(connection.settings_dict["NAME"], timeout=30, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        time.sleep(self.seconds)
        locker.execute("COMMIT")
        locker.close()


@pytest.mark.django_db(transaction=True)
def test_the_database_away_for_ten_seconds_during_a_sweep_loses_nothing(overdue_cases, worker):
    north, cases = overdue_cases
    if connection.vendor == "postgresql":  # the test's own connection is kept; the worker's are cut
        with connection.cursor() as cursor:
            cursor.execute("SET application_name = 'pytest'")
    process = worker()
    time.sleep(3)  # the worker is up and connected before the database goes away
    outage = DatabaseAway(seconds=10)
    outage.start()
    sweep_contact_reminders.delay()
    outage.join()
    run = wait_for_the_run_to_finish(seconds=120)
    assert outage.happened and process.poll() is None
    assert (run.batches_expected, run.batches_completed) == (3, 3)
    assert notifications() == clean_run(north, cases)
