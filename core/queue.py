"""Follow-up work through a transactional outbox: recorded with the write, sent to Celery after commit.

A service calls `enqueue_on_commit(task, *args)` inside its transaction. The outbox row commits or rolls back
with the record, so work is never sent for a write that did not happen, and never lost when the broker is
down: the row stays pending and `core.tasks.dispatch_outbox` (every minute, from beat) sends it later.
Tasks must be idempotent, because a row can be sent twice (a worker dies between sending and marking).
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from .db import committed_without_waiting
from .logging import request_id_var
from .models import Outbox, OutboxState

logger = logging.getLogger(__name__)

# The dispatcher leaves a fresh row alone this long, so it does not race the send straight after commit.
IMMEDIATE_SEND_GRACE = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=10)
KEEP_SENT = timedelta(days=7)


def enqueue_on_commit(task, *args, dedupe_key: str | None = None) -> Outbox | None:
    """Record `task(*args)` in the outbox in the current transaction, and try to send it once committed.
    `task` is a Celery task or its name (a name saves a service importing its app's tasks module)."""
    values = {
        "task_name": task if isinstance(task, str) else task.name,
        "args": list(args),
        "request_id": request_id_var.get(),
        "next_attempt_at": timezone.now() + IMMEDIATE_SEND_GRACE,
    }
    if dedupe_key is not None:
        try:
            with transaction.atomic():  # a savepoint, so a duplicate key leaves the caller's transaction usable
                entry = Outbox.objects.create(dedupe_key=dedupe_key[:200], **values)
        except IntegrityError:
            return None
    else:
        entry = Outbox.objects.create(**values)
    # robust: the record is already committed, so a failure here is logged, never turned into an error page.
    # The entry as written, not read again: the dispatcher leaves it alone for IMMEDIATE_SEND_GRACE, and the task
    # is idempotent should both ever send it.
    transaction.on_commit(lambda: _send(entry), robust=True)
    return entry


def send(entry_id: int) -> bool:
    """Send one pending outbox entry now. Best effort: a failure leaves it for the dispatcher."""
    entry = Outbox.objects.filter(pk=entry_id, state=OutboxState.PENDING).first()
    if entry is None:
        return False
    return _send(entry)


def dispatch_due(limit: int = 500) -> int:
    """Send every pending entry that is due. Rows are locked (skip locked) so two dispatchers never send the
    same row; the first broker failure stops the round, since the rest would fail the same way."""
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        due = (
            Outbox.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        for entry in due:
            if not _send(entry):
                break
            sent += 1
    Outbox.objects.filter(state=OutboxState.SENT, sent_at__lt=now - KEEP_SENT).delete()
    return sent


def task_named(name: str):
    """The Celery task registered under `name`, or None."""
    task = current_app.tasks.get(name)
    if task is None:
        # A web process only knows the tasks it has imported; load every app's tasks module, as a worker does.
        current_app.loader.import_default_modules()
        task = current_app.tasks.get(name)
    return task


def _send(entry: Outbox) -> bool:
    task = task_named(entry.task_name)
    if task is None:  # renamed or removed: retrying would never help, so show it to admins instead
        _record_failure(entry, f"No task called {entry.task_name}", state=OutboxState.FAILED)
        logger.error("Outbox entry %s names no task: %s", entry.pk, entry.task_name)
        return True
    try:
        task.apply_async(
            args=entry.args,
            task_id=f"outbox-{entry.pk}-{entry.attempts}",
            headers={"request_id": entry.request_id} if entry.request_id else None,
        )
    except Exception as exc:  # the broker being unreachable must never undo or fail a saved record
        _record_failure(entry, repr(exc)[:1000])
        logger.warning("Could not enqueue %s%r; the outbox will retry it: %r", entry.task_name, entry.args, exc)
        return False
    _mark_sent(entry)
    return True


def _mark_sent(entry: Outbox) -> None:
    # Were this lost in a crash of the database, the dispatcher would send the entry again (tasks are idempotent),
    # so the commit need not wait for the disk (core.db): the send straight after a save does this every time.
    connection = connections[router.db_for_write(Outbox)]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Outbox._meta.db_table)} SET {quote('state')} = %s, {quote('sent_at')} = %s, "
        f"{quote('last_error')} = %s WHERE {quote('id')} = %s"
    )
    with connection.cursor() as cursor:
        sent_at = Outbox._meta.get_field("sent_at").get_db_prep_save(timezone.now(), connection)
        cursor.execute(committed_without_waiting(sql, connection), [OutboxState.SENT.value, sent_at, "", entry.pk])


def _record_failure(entry: Outbox, error: str, *, state: str = OutboxState.PENDING) -> None:
    attempts = entry.attempts + 1
    delay = min(timedelta(seconds=15 * 2 ** min(attempts, 10)), MAX_BACKOFF)
    Outbox.objects.filter(pk=entry.pk).update(
        state=state, attempts=attempts, last_error=error, next_attempt_at=timezone.now() + delay
    )


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
