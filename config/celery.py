"""The Celery app. Broker and schedules come from Django settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def config_loggers(*args, **kwargs) -> None:
    """The worker and beat log with Django's LOGGING (LOG_LEVEL, LOG_FORMAT), as web does.

    A receiver on this signal stops Celery configuring logging itself, so it neither replaces the root
    logger's handlers nor applies its own format; the worker's --loglevel is then not used (set LOG_LEVEL).
    """
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


def ensure_filesystem_broker_folders(settings) -> None:
    """kombu's filesystem transport fails on missing folders; create them before use."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
