"""Database helpers every app may use."""

from django.db.backends.base.base import BaseDatabaseWrapper


def committed_without_waiting(sql: str, connection: BaseDatabaseWrapper) -> str:
    """`sql` (one write, run on its own outside any transaction) committed without waiting for the disk: on
    PostgreSQL, with synchronous_commit off for that statement alone (SET LOCAL, in the implicit transaction of one
    query string). Only for a write whose loss costs nothing that matters or is made good: a crash of the database
    server (not of the app) can lose what was committed in the last fraction of a second (three times
    wal_writer_delay, 0.6 s by default), never corrupt anything or any other write. Saves the wait for the flush
    of the write-ahead log. Inside a transaction it would apply to everything else in it, so there it changes
    nothing, as on other databases."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return sql
    return f"SET LOCAL synchronous_commit TO OFF; {sql}"
