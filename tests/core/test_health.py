"""Health checks a load balancer can use without signing in; a 503 says which part is failing."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from core import health, runs
from core.models import Heartbeat, SweepRun

ALL_OK = {"database": "ok", "migrations": "ok", "broker": "ok", "worker": "ok", "beat": "ok", "sweeps": "ok"}


@pytest.fixture
def alive(db):
    """A worker and beat that wrote their heartbeats just now."""
    runs.heartbeat("worker")
    runs.heartbeat("beat")


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:  # bound, then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_at(closed_port):
    before = (app.conf.broker_write_url, app.conf.broker_transport_options)
    # The write URL, not broker_url: Celery prefers a CELERY_BROKER_URL environment variable to it.
    app.conf.broker_write_url = f"redis://127.0.0.1:{closed_port}/0"
    app.conf.broker_transport_options = {}
    app._pool = None
    yield
    app.conf.broker_write_url, app.conf.broker_transport_options = before
    app._pool = None


def test_live_needs_no_sign_in(client, db):
    response = client.get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_checks_database_migrations_broker_worker_beat_and_sweeps(client, alive):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == ALL_OK
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_503_naming_the_worker_when_no_worker_has_answered(client, db):
    runs.heartbeat("beat")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"] and response.json()["checks"]["worker"] == "no heartbeat yet"


def test_ready_is_503_naming_beat_when_its_heartbeat_stopped(client, alive):
    Heartbeat.objects.filter(name="beat").update(beat_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["beat"] and response.json()["checks"]["beat"] == "no heartbeat for 5 minutes"


def test_web_scope_leaves_out_worker_and_beat_for_a_load_balancer(client, db):
    response = client.get("/health/ready?scope=web")
    assert response.status_code == 200 and set(response.json()["checks"]) == {"database", "migrations", "broker"}


def test_ready_is_503_naming_a_daily_sweep_that_has_not_finished_on_time(client, alive):
    call_command("setup_periodic_tasks", stdout=__import__("io").StringIO())
    # 07:15 in London: the 06:00 enquiry sweep is more than an hour late; the 06:30 contact sweep is not yet.
    with time_machine.travel(timezone.datetime(2026, 11, 25, 7, 15, tzinfo=timezone.get_current_timezone())):
        SweepRun.objects.create(
            sweep="risk.tasks.sweep_case_status",
            run_on=timezone.localdate(),
            batches_expected=0,
            finished_at=timezone.now(),
        )
        runs.heartbeat("worker")
        runs.heartbeat("beat")
        response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["failing"] == ["sweeps"]
    assert (
        response.json()["checks"]["sweeps"]
        == "late: Daily domestic abuse and safeguarding enquiry sweep (25 November 2026)"
    )


def test_ready_is_503_naming_the_broker_when_it_is_unreachable(client, alive, broker_at):
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"] and body["checks"]["database"] == "ok"


def test_ready_turns_503_when_the_broker_goes_away_and_200_when_it_is_back(client, alive, broker_on_own_redis):
    assert client.get("/health/ready").status_code == 200
    broker_on_own_redis.stop()
    app._pool = None
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["failing"] == ["broker"]
    broker_on_own_redis.start()
    app._pool = None
    assert client.get("/health/ready").status_code == 200


def test_ready_is_503_naming_migrations_not_yet_applied(client, alive, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("core", "0099_next")])
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["failing"] == ["migrations"]


def test_ready_is_503_naming_the_database_when_it_is_down(client, alive, monkeypatch):
    def down():
        raise OSError("could not connect to server")

    monkeypatch.setattr(health, "_database", down)
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["failing"] == ["database"]
    assert response.json()["checks"]["migrations"] == "not checked"
    assert response.json()["checks"]["worker"] == "not checked"


def test_the_original_health_check_still_answers(client, db):
    assert client.get("/health/").content == b"ok"


def test_junk_parameters_never_break_the_readiness_check(client, db):
    for query in ("scope=%00", "scope=web&page=-1", "scope=" + "w" * 5000):
        response = client.get(f"/health/ready?{query}")
        assert response.status_code in (200, 503) and "checks" in response.json()
    assert client.get("/health/ready?scope=web%ff").status_code == 400  # invalid UTF-8 is refused, not a 500
    assert client.post("/health/ready", {"scope": "\x00"}).status_code in (200, 503, 405)
