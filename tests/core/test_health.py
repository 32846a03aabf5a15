"""Health checks a load balancer can use without signing in; a 503 says which part is failing."""

import socket

import pytest

from config.celery import app
from core import health


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


def test_ready_checks_database_migrations_and_broker(client, db):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_503_naming_the_broker_when_it_is_unreachable(client, db, broker_at):
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"] and body["checks"]["database"] == "ok"


def test_ready_is_503_naming_migrations_not_yet_applied(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("core", "0099_next")])
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["failing"] == ["migrations"]


def test_ready_is_503_naming_the_database_when_it_is_down(client, db, monkeypatch):
    def down():
        raise OSError("could not connect to server")

    monkeypatch.setattr(health, "_database", down)
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["failing"] == ["database"]
    assert response.json()["checks"]["migrations"] == "not checked"


def test_the_original_health_check_still_answers(client, db):
    assert client.get("/health/").content == b"ok"
