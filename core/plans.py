"""Repeated reads planned once per connection on PostgreSQL (PREPARE, then EXECUTE).

psycopg2 sends each query as text, so the server parses and plans it every time: for the small indexed reads a
page is made of, planning takes longer than running (0.1 to 0.3 ms against a few hundredths), and a case page
runs about twenty. This execute wrapper prepares a SELECT on the server the second time a connection sees it
(the same SQL with the same kinds of values) and runs it with EXECUTE from then on, as psycopg 3 does with its
prepare_threshold. PostgreSQL still plans each run for its values for the first five, and then keeps a generic
plan only if it costs no more than those.

Safe by construction: a statement is prepared with its parameters' types declared from the Python values (int
as bigint, str as text, and so on), and only when every value has one; one that cannot be prepared (the server
refuses it) is run as text from then on. Inside a transaction the PREPARE runs in a savepoint, so a refusal
cannot break the transaction. Statements last as long as their connection (CONN_MAX_AGE) and survive rollbacks;
migrations drop them, as a changed table would make the server refuse them.

Off with PREPARED_STATEMENTS=false, behind a pooler that does not keep a session's prepared statements (PgBouncer
in transaction mode before 1.21).
"""

import decimal
import itertools
import logging
import uuid
import weakref
from collections import Counter
from datetime import date, datetime, time

import psycopg2
from django.conf import settings

logger = logging.getLogger(__name__)

# A statement that ends with this is run with the plan made for any values (core.prepared's generic_plan). The
# server otherwise plans a statement afresh on every run whenever its plan for any values is estimated to cost more
# than those for each run's own values: for a team's caseload, 0.7 ms of planning a page, to run a plan no faster
# than the one for any values. Only for reads whose values are alike in what they select (a team, a case).
GENERIC_PLAN = " /* generic plan */"
PREPARE_AFTER = 2  # a statement seen once may never come back: preparing it would only add a round trip
MAX_STATEMENTS = 500  # per connection (each holds a plan in the server's memory); then dropped and re-made
MAX_SEEN = 20_000  # statements counted per connection before the count starts again

_TYPES = (
    (bool, "boolean"),  # before int: a bool is an int too
    (int, "bigint"),
    (float, "double precision"),
    (decimal.Decimal, "numeric"),
    (str, "text"),
    (date, "date"),  # a datetime is a date too: _type looks for datetime first
    (time, "time"),
    (uuid.UUID, "uuid"),
)


class _Statements:
    """What one database connection has prepared, has seen, and could not prepare."""

    def __init__(self):
        self.names, self.seen, self.refused = {}, Counter(), set()
        self.numbers = itertools.count()


_connections = weakref.WeakKeyDictionary()  # driver connection -> _Statements


def plan_once(execute, sql, params, many, context):
    """connection.execute_wrapper: run a repeated SELECT through a statement prepared on the server."""
    connection = context["connection"]
    if (
        many
        or not isinstance(params, list | tuple)
        or not sql.startswith("SELECT")
        or context["cursor"].cursor.name  # a server-side cursor (QuerySet.iterator) DECLAREs its own query
        or not getattr(settings, "PREPARED_STATEMENTS", True)
    ):
        return execute(sql, params, many, context)
    types = tuple(_type(value) for value in params)
    if None in types:
        return execute(sql, params, many, context)
    statements = _connections.get(connection.connection)
    if statements is None:
        statements = _connections[connection.connection] = _Statements()
    key = (sql, types)
    name = statements.names.get(key)
    if name is None:
        if key in statements.refused:
            return execute(sql, params, many, context)
        statements.seen[key] += 1
        if statements.seen[key] < PREPARE_AFTER:
            if len(statements.seen) > MAX_SEEN:
                statements.seen.clear()
            return execute(sql, params, many, context)
        name = _prepare(context["cursor"], connection, statements, key)
        if name is None:
            return execute(sql, params, many, context)
    placeholders = ", ".join(["%s"] * len(params))
    statement = f"EXECUTE {name} ({placeholders})" if params else f"EXECUTE {name}"
    if sql.endswith(GENERIC_PLAN) and not connection.in_atomic_block:
        # For this statement alone (SET LOCAL in the implicit transaction of one query string); inside a
        # transaction it would hold for the rest of it, so there the server chooses as usual.
        statement = f"SET LOCAL plan_cache_mode = force_generic_plan; {statement}"
    return execute(statement, params, many, context)


def _prepare(cursor, connection, statements: _Statements, key) -> str | None:
    sql, types = key
    raw = cursor.cursor  # the driver's own: setting up the connection is not one of the page's queries
    if len(statements.names) >= MAX_STATEMENTS:
        raw.execute("DEALLOCATE ALL")
        statements.names.clear()
    name = f"casework_{next(statements.numbers)}"
    text = raw.mogrify(sql, [_Dollar(number) for number in range(1, len(types) + 1)]).decode()
    declared = f" ({', '.join(types)})" if types else ""
    in_transaction = not connection.get_autocommit()
    try:
        if in_transaction:
            raw.execute("SAVEPOINT casework_prepare")
        raw.execute(f"PREPARE {name}{declared} AS {text}")
        if in_transaction:
            raw.execute("RELEASE SAVEPOINT casework_prepare")
    except psycopg2.Error as error:
        if in_transaction:
            raw.execute("ROLLBACK TO SAVEPOINT casework_prepare")
            raw.execute("RELEASE SAVEPOINT casework_prepare")
        statements.refused.add(key)
        logger.info("Not prepared, run as text from now on: %s (%s)", sql[:200], str(error).strip())
        return None
    statements.names[key] = name
    return name


def _type(value) -> str | None:
    """The PostgreSQL type a value is sent as, or None when it has no one type (None, an empty list, JSON)."""
    if isinstance(value, datetime):
        return "timestamptz" if value.tzinfo else "timestamp"
    for kind, name in _TYPES:
        if isinstance(value, kind):
            return name
    if isinstance(value, list | tuple) and value:
        kinds = {_type(item) for item in value}
        if len(kinds) == 1 and (kind := kinds.pop()) in ("bigint", "text", "date"):
            return f"{kind}[]"
    return None


class _Dollar:
    """A parameter's place ($n) in the PREPARE, written as it is by the driver (psycopg2's ISQLQuote protocol)."""

    def __init__(self, number: int):
        self.number = number

    def __conform__(self, protocol):
        return self

    def getquoted(self) -> bytes:
        return f"${self.number}".encode()


def statement_of(sql: str, connection) -> str:
    """The SQL a captured query ran: the query itself, or for an EXECUTE the statement it runs (for matching
    queries to EXPLAIN; EXPLAIN the EXECUTE itself to see the plan the server uses)."""
    if sql.startswith("SET LOCAL "):  # a read run with its generic plan (GENERIC_PLAN)
        sql = sql.split("; ", 1)[1]
    if not sql.startswith("EXECUTE "):
        return sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [sql.split()[1]])
        row = cursor.fetchone()
    return row[0].split(" AS ", 1)[1] if row else sql


def install(sender, connection, **kwargs) -> None:
    """connection_created: every PostgreSQL connection plans its repeated reads once."""
    if connection.vendor == "postgresql" and plan_once not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, plan_once)


def forget(using: str = "default", **kwargs) -> None:
    """pre_migrate and post_migrate: a migration can change what a prepared statement reads, and the server
    then refuses to run it ("cached plan must not change result type")."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "postgresql" and connection.connection is not None:
        _connections.pop(connection.connection, None)
        with connection.cursor() as cursor:
            cursor.cursor.execute("DEALLOCATE ALL")
