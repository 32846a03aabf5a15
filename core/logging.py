"""Logging for web, worker and beat alike: the LOGGING dict the settings use, and a JSON formatter.

With LOG_FORMAT=json every record is one JSON object on one line (time, level, logger, message, the
exception when there is one, and any `extra` fields such as request_id), which log collectors read
without parsing patterns. Standard library only, so settings can import it before Django is set up.
"""

import json
import logging
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

LOG_FORMATS = ("plain", "json")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


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
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "core.logging.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format}},
        "root": {"handlers": ["console"], "level": level},
        # WeasyPrint (letters as PDF) logs every rendering step at INFO.
        "loggers": {"weasyprint": {"level": "WARNING"}},
    }
