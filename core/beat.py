"""Beat's scheduler: django-celery-beat's DatabaseScheduler (admins edit the schedules) that also writes a
heartbeat every 30 seconds, so /health/ready can tell when beat has stopped."""

import logging
import time

from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY_SECONDS = 30


class Scheduler(DatabaseScheduler):
    _last_heartbeat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_heartbeat >= HEARTBEAT_EVERY_SECONDS:
            self._last_heartbeat = now
            write_heartbeat("beat")
        return super().tick(*args, **kwargs)


def write_heartbeat(name: str) -> None:
    from django.db import close_old_connections

    from core.runs import heartbeat

    try:
        close_old_connections()  # a connection the database dropped is replaced, not reused
        heartbeat(name)
    except Exception as error:  # the database away: /health/ready reports the stale heartbeat
        logger.warning("Could not write the %s heartbeat: %r", name, error)
