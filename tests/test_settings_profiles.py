"""The embedded default as `make run` starts it: the service's own error pages, and email links on its port."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def local_settings(**env) -> list[str]:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SITE_URL)"
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SITE_URL", "PORT")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_make_run_shows_the_services_own_error_pages():
    assert local_settings() == ["False", "http://127.0.0.1:8000"]


def test_debug_pages_only_when_a_developer_asks():
    assert local_settings(DEBUG="true")[0] == "True"


def test_links_in_emails_follow_the_port():
    assert local_settings(PORT="8123") == ["False", "http://127.0.0.1:8123"]


def test_make_run_needs_no_collectstatic():
    code = (
        "import django; django.setup(); from django.templatetags.static import static; "
        "print(static('govuk/application.css'))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SITE_URL", "PORT")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "/static/govuk/application.css"
