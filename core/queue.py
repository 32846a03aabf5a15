"""Enqueue Celery tasks only once the transaction that needs them has committed."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Send `task` after commit. If the broker is down the write still stands; the task is logged as missed."""

    def send():
        try:
            task.delay(*args)
        except Exception:  # the broker being unreachable must never undo or fail a saved record
            logger.exception("Could not enqueue %s%r; it must be retried", task.name, args)

    transaction.on_commit(send)


def chunks(iterable, size: int):
    """Lists of up to `size` items (itertools.batched arrives in Python 3.12)."""
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
