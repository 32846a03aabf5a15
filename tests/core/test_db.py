"""core.db.committed_without_waiting: only the one statement skips the wait for the disk, never a transaction's
other writes, and the row is written all the same."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.db import committed_without_waiting
from core.models import Outbox

INSERT = f"INSERT INTO {Outbox._meta.db_table} (task_name, args, request_id, state, attempts, next_attempt_at, "
INSERT += "last_error, created_at) VALUES (%s, '[]', '', 'pending', 0, %s, '', %s)"


def synchronous_commit() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_write_on_its_own_is_saved_and_the_next_statements_wait_for_the_disk_again():
    now = Outbox._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    sql = committed_without_waiting(INSERT, connection)
    assert sql.startswith("SET LOCAL synchronous_commit TO OFF;") == (connection.vendor == "postgresql")
    with connection.cursor() as cursor:
        cursor.execute(sql, ["core.tasks.example", now, now])
    assert Outbox.objects.filter(task_name="core.tasks.example").count() == 1
    assert synchronous_commit() in (None, "on")


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_nothing_changes():
    # SET LOCAL there would let every other write of the transaction commit without waiting too.
    with transaction.atomic():
        assert committed_without_waiting(INSERT, connection) == INSERT
