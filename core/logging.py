"""Logging for web, worker and beat alike: the LOGGING dict the settings use, and a JSON formatter.

With LOG_FORMAT=json every record is one JSON object on one line (time, level, logger, message, the
exception when there is one, and any `extra` fields such as request_id), which log collectors read
without parsing patterns. Standard library only, so settings can import it before Django is set up.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

LOG_FORMATS = ("plain", "json")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


# The request (or the task a request's follow-up work runs in) being handled by this thread or coroutine.
request_id_var: ContextVar[str] = ContextVar("request_id", default="")
# What a request id from outside (a proxy's X-Request-ID) may look like; anything else is replaced.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def safe_request_id(value: str | None) -> str | None:
    return value if value and _SAFE_REQUEST_ID.match(value) else None


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every record logged while a request or its follow-up task runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = request_id_var.get()
        if current and not hasattr(record, "request_id"):
            record.request_id = current
        return True


class PlainFormatter(logging.Formatter):
    """Plain text, with the request id at the end when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", "")
        return f"{text} request_id={request_id}" if request_id else text


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Newlines inside a message or traceback are escaped, never written raw."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry.setdefault(key, value)  # an extra never overwrites the fields above
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: everything to the console (stderr), as plain text or JSON lines."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"()": "core.logging.PlainFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "core.logging.JsonFormatter"},
        },
        "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        # WeasyPrint (letters as PDF) logs every rendering step at INFO.
        "loggers": {"weasyprint": {"level": "WARNING"}},
    }
