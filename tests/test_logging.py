"""What an operator reads: web and worker log lines, as plain text or one JSON object a line (LOG_FORMAT)."""

import io
import json
import logging
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from core.logging import JsonFormatter

BASE_DIR = Path(__file__).resolve().parent.parent


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_formatter_writes_one_object_a_line_with_extras_and_the_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json_formatter")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Sweep sent %d reminders\nto officers", 3, extra={"request_id": "r-42", "hours": Decimal("1.5")})
        try:
            raise ValueError("no plan for D320002")
        except ValueError:
            logger.exception("Contact sweep failed", extra={"level": "not the real level"})
    finally:
        logger.removeHandler(handler)

    assert len(stream.getvalue().splitlines()) == 2  # newlines in messages and tracebacks stay escaped
    first, second = json_lines(stream.getvalue())
    assert first["level"] == "WARNING" and first["logger"] == "tests.json_formatter"
    assert first["message"] == "Sweep sent 3 reminders\nto officers"
    assert first["request_id"] == "r-42" and first["hours"] == "1.5"
    assert first["time"].endswith("+00:00") and "exception" not in first
    assert second["level"] == "ERROR"  # an extra cannot pass itself off as the level
    assert second["message"] == "Contact sweep failed"
    assert second["exception"].startswith("Traceback (most recent call last):")
    assert second["exception"].endswith("ValueError: no plan for D320002")


def run_python(code: str, tmp_path: Path, settings: str = "config.settings.test", **env: str):
    """Start a fresh process, as web and worker start, with only the given LOG_* variables set."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOG_")}
    environment.update(DJANGO_SETTINGS_MODULE=settings, PYTHONPATH=str(BASE_DIR), **env)
    if settings.endswith("production"):
        environment.update(
            SECRET_KEY="test-only",
            ALLOWED_HOSTS="localhost",
            DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",  # never connected to
        )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )


APP_LOGS = """
import logging, django
django.setup()
logging.getLogger("casework.sweeps").warning("Sweep finished", extra={"request_id": "r-7"})
"""


@pytest.mark.parametrize(
    "settings, log_format, expect_json",
    [
        ("config.settings.test", None, False),  # plain by default
        ("config.settings.test", "json", True),
        ("config.settings.production", None, True),  # production defaults to JSON
        ("config.settings.production", "plain", False),
    ],
)
def test_log_format_chooses_plain_lines_or_json_lines(tmp_path, settings, log_format, expect_json):
    env = {"LOG_FORMAT": log_format} if log_format else {}
    result = run_python(APP_LOGS, tmp_path, settings, **env)
    assert result.returncode == 0, result.stderr
    line = [x for x in result.stderr.splitlines() if "Sweep finished" in x][-1]
    if expect_json:
        entry = json.loads(line)
        assert entry["message"] == "Sweep finished" and entry["level"] == "WARNING"
        assert entry["logger"] == "casework.sweeps" and entry["request_id"] == "r-7"
    else:
        assert line.endswith(" WARNING casework.sweeps Sweep finished request_id=r-7")


def test_an_unknown_log_format_stops_start_up_with_a_clear_message(tmp_path):
    result = run_python(APP_LOGS, tmp_path, LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be one of plain, json, not 'xml'" in result.stderr


WORKER_LOGS = """
import logging
from config.celery import app
app.log.setup(loglevel="DEBUG", hostname="worker@test")  # what `celery worker` and `celery beat` call
root = logging.getLogger()
print(len(root.handlers), type(root.handlers[0].formatter).__name__, logging.getLevelName(root.level))
logging.getLogger("celery.worker").info("worker ready")
logging.getLogger("casework.tasks").info("Reminder sent", extra={"request_id": "r-9"})
"""


def test_the_celery_worker_logs_with_the_project_logging_not_its_own(tmp_path):
    result = run_python(WORKER_LOGS, tmp_path, LOG_FORMAT="json", LOG_LEVEL="INFO")
    assert result.returncode == 0, result.stderr
    # The root logger keeps the project's one console handler and LOG_LEVEL, not Celery's handler and --loglevel.
    assert result.stdout.split() == ["1", "JsonFormatter", "INFO"]
    entries = json_lines(result.stderr)  # every line the worker wrote is JSON, none in Celery's own format
    assert {"logger": "celery.worker", "message": "worker ready"}.items() <= entries[-2].items()
    assert entries[-1]["message"] == "Reminder sent" and entries[-1]["request_id"] == "r-9"
