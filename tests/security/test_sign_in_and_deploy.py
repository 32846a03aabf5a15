"""Sign-in hardening, security headers and the production configuration."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]


def test_lockout_after_repeated_failures(client, north):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/sign-in/", {"username": north.officer.username, "password": "wrong-password"})
        assert response.status_code in (200, 429)
    # Now even the right password is refused, and the person is told why.
    response = client.post("/sign-in/", {"username": north.officer.username, "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_message_is_plain(client, north):
    response = client.post("/sign-in/", {"username": north.officer.username, "password": "nope"})
    assert "Enter a correct username and password. Passwords are case-sensitive" in response.content.decode()


def test_right_password_signs_in(client, north):
    response = client.post("/sign-in/", {"username": north.officer.username, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == "/cases/"


def test_weak_passwords_are_refused(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password123", "12345678901234", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a-long-and-unusual-passphrase")


def test_session_expires_after_inactivity_but_not_while_in_use(client_for, north):
    client = client_for(north.officer)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/cases/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get("/cases/").status_code == 200  # in use: renewed
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get("/cases/").status_code == 200  # 25 minutes idle, still signed in
    with time_machine.travel(start + timedelta(minutes=81), tick=False):
        assert client.get("/cases/").url.startswith("/sign-in/")  # 31 minutes idle
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_session_is_not_rewritten_on_every_page(client_for, north):
    client = client_for(north.officer)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/cases/")
    assert not [q for q in captured if q["sql"].startswith("UPDATE") and "casework_session" in q["sql"]]


def test_deactivated_user_is_signed_out_everywhere(client_for, north, north_case):
    client = client_for(north.officer)
    assert client.get("/cases/").status_code == 200
    north.officer.is_active = False
    north.officer.save()
    assert client.get("/cases/").url.startswith("/sign-in/")


def test_security_headers(client_for, north):
    response = client_for(north.officer).get("/cases/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # no inline script for the policy to block


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 20 + "production-secret-key-that-is-long-and-random-3f9a8b7c6d",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///" + str(ROOT / "var" / "deploy-check.sqlite3")),
    "ALLOWED_HOSTS": "casework.example.gov.uk",
    "DEBUG": "true",  # an operator's mistake: production must ignore it
    "PATH": os.environ.get("PATH", ""),
}


def run_manage(*args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=PRODUCTION_ENV, capture_output=True, text=True, timeout=120
    )


def test_production_passes_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_never_on_in_production():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
