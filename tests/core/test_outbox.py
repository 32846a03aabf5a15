"""Follow-up work is never lost: it is written with the record, and sent when the broker can take it."""

import os
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from casework.constants import NotificationKind
from casework.models import Notification
from casework.notifications import notify
from config.celery import app
from contacts import tasks as contact_tasks
from contacts.constants import ContactType, Outcome
from contacts.models import Contact
from core.models import Outbox, OutboxState
from core.queue import enqueue_on_commit
from core.tasks import dispatch_outbox
from tests.casework.test_forms import date_fields


def log_contact(client, case, notes="Seen at the office", **changes):
    return client.post(
        f"/cases/{case.crn}/contacts/new/",
        {
            "contact_type": ContactType.COAP,
            **date_fields("contact_date", timezone.localdate() - timedelta(days=1)),
            "start_time": "10:00",
            "with_whom": "service_user",
            "national_standard": "True",
            "outcome": Outcome.ATTC,
            "penalty_minutes": "0",
            "notes": notes,
            **changes,
        },
    )


def due_reminder(staff, case):
    notify([staff.officer], kind=NotificationKind.CONTACT_DUE, case=case, message="Due", url="/", key="due")
    return Notification.objects.get(kind=NotificationKind.CONTACT_DUE)


def test_saving_a_contact_records_its_follow_up_and_sends_it(
    client_for, north, north_case, django_capture_on_commit_callbacks
):
    reminder = due_reminder(north, north_case.case)
    with django_capture_on_commit_callbacks(execute=True):
        assert log_contact(client_for(north.officer), north_case.case).status_code == 302
    entry = Outbox.objects.get(task_name="contacts.tasks.contact_recorded")
    assert entry.state == OutboxState.SENT and entry.args == [Contact.objects.latest("pk").pk]
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_a_contact_that_can_answer_no_reminder_queues_no_follow_up(client_for, north, north_case):
    notes = "Rang to say he has started a job"
    phone_call = {"contact_type": ContactType.CTOB, "national_standard": "False", "outcome": ""}
    assert log_contact(client_for(north.officer), north_case.case, notes, **phone_call).status_code == 302
    assert Contact.objects.filter(notes=notes).exists()
    assert not Outbox.objects.exists()


def test_work_for_a_write_that_rolled_back_is_never_sent(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(contact_tasks.contact_recorded, 1)
        raise RuntimeError("the save failed")
    assert not Outbox.objects.exists()


def test_broker_down_the_contact_saves_and_the_dispatcher_sends_the_work_later(
    client_for, north, north_case, django_capture_on_commit_callbacks, monkeypatch
):
    reminder = due_reminder(north, north_case.case)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(contact_tasks.contact_recorded, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        assert log_contact(client_for(north.officer), north_case.case).status_code == 302
    assert Contact.objects.filter(notes="Seen at the office").exists()
    entry = Outbox.objects.get()
    assert entry.state == OutboxState.PENDING and entry.attempts == 1 and "Connection refused" in entry.last_error
    assert dispatch_outbox() == 0  # not due again yet, and the broker is still down

    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert dispatch_outbox() == 1
        assert dispatch_outbox() == 0  # sent once
    entry.refresh_from_db()
    assert entry.state == OutboxState.SENT
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_a_dedupe_key_records_the_work_once(db):
    with transaction.atomic():
        assert enqueue_on_commit(contact_tasks.contact_recorded, 1, dedupe_key="contact:1")
        assert enqueue_on_commit(contact_tasks.contact_recorded, 1, dedupe_key="contact:1") is None
    assert Outbox.objects.count() == 1


def test_work_naming_no_task_is_marked_failed_for_admins(db, admin_client):
    Outbox.objects.create(task_name="contacts.tasks.no_such_task", args=[1])
    dispatch_outbox()
    entry = Outbox.objects.get()
    assert entry.state == OutboxState.FAILED and "no_such_task" in entry.last_error
    page = admin_client.get("/admin/core/outbox/?state=failed").content.decode()
    assert "contacts.tasks.no_such_task" in page


# --- A real Redis of the test's own, stopped and started again -----------------------------------------

REDIS_SERVER = shutil.which("redis-server")


def free_port(start: int = 6390) -> int:
    for port in range(start, start + 100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("No free port for a test Redis")


class OwnRedis:
    """A redis-server on its own port that the test can stop and start (never the shared one on 6379)."""

    def __init__(self, port: int):
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("The test Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def use_broker(url: str | None, transport_options: dict) -> None:
    # Read and write URLs, not broker_url: Celery prefers a CELERY_BROKER_URL environment variable to it.
    app.conf.broker_read_url = app.conf.broker_write_url = url
    app.conf.broker_transport_options = transport_options
    app._pool = None  # connection pools are made for the first URL; drop them so the next send uses this one
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis():
    if REDIS_SERVER is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: CI must run the broker-outage test")
        pytest.skip("redis-server is not installed")
    server = OwnRedis(free_port())
    before = (None, app.conf.broker_transport_options)
    server.start()
    use_broker(server.url, {"visibility_timeout": 3600})
    app.conf.task_always_eager = False
    try:
        yield server
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        use_broker(*before)
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_broker_outage_on_a_real_redis_loses_nothing(own_redis, client_for):
    from tests.conftest import make_full_case, make_staff

    north = make_staff("NTH")
    case = make_full_case(north, crn="N000001").case
    reminder = due_reminder(north, case)

    own_redis.stop()
    assert log_contact(client_for(north.officer), case).status_code == 302  # the save succeeds
    entry = Outbox.objects.get(task_name="contacts.tasks.contact_recorded")
    assert entry.state == OutboxState.PENDING and entry.attempts == 1
    reminder.refresh_from_db()
    assert reminder.read_at is None  # the work has not happened yet

    own_redis.start()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert dispatch_outbox() == 1
    entry.refresh_from_db()
    assert entry.state == OutboxState.SENT
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and reminder.read_at is None:
            time.sleep(0.2)
            reminder.refresh_from_db()
    assert reminder.read_at is not None  # the worker ran the task once the broker was back


def test_a_failure_after_commit_never_turns_a_saved_record_into_an_error_page(
    client_for, north, north_case, django_capture_on_commit_callbacks, monkeypatch
):
    from core import queue

    def database_gone(entry):
        raise RuntimeError("connection to the database lost after commit")

    monkeypatch.setattr(queue, "_send", database_gone)
    with django_capture_on_commit_callbacks(execute=True):
        assert log_contact(client_for(north.officer), north_case.case, notes="Saved anyway").status_code == 302
    assert Contact.objects.filter(notes="Saved anyway").exists()
    assert Outbox.objects.get().state == OutboxState.PENDING  # the dispatcher sends it later
