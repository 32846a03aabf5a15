"""Querysets compiled to SQL once per process, for the few queries every signed-in page runs.

Building and compiling a queryset costs about half a millisecond of Python each time, where the database answers
a small indexed query in a tenth of that. The session, the user, their teams and the navigation's counts run on
every page, so their SQL is compiled once, from the same ORM code as before, and later calls only put the new
values in. The queryset stays the single statement of what is read:

    @prepared
    def _unread(user_id, team_ids):
        return Notification.objects.filter(recipient_id=user_id, service_user__team__in=team_ids)

    _unread.count(user.pk, [3, 4])

Several counts and single values can run as one statement (`counting`, `reading` and `read_together`: the
navigation's badges, a case's contact facts), and a `PreparedSet` is a builder with its values whose reader picks
the columns (What's due and the team view read the same cases with their statuses). On PostgreSQL the server
also plans each statement once per connection (core.plans).

How: `build` is called once with stand-in values (large integers, marked strings, dates in 1901) and compiled;
each stand-in is then found among the SQL's parameters, and a call puts its own values in those places, adapted
for the database as Django adapts them. A list is compiled once per length, as its `IN (...)` differs, and None
stands for itself (a builder may leave a filter out for it). Only values that reach the SQL as they are can be
prepared (whole numbers, strings compared exactly, dates and datetimes, and lists of them); a builder that
transforms one, or branches on one other than None, is refused when first compiled rather than run wrong.
"""

import functools
import inspect
import itertools
import json
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

from .plans import GENERIC_PLAN

MAX_SHAPES = 200  # compiled shapes kept per prepared query


class NotPreparable(TypeError):
    """The builder changes or drops a placeholder, so its SQL cannot be reused with other values."""


class _Slot(NamedTuple):
    """Where a call's value goes: its argument (and place in a list), adapted as Django adapts it."""

    index: int
    position: int | None
    adapt: Callable

    def value(self, args):
        value = args[self.index]
        return self.adapt(value if self.position is None else value[self.position])


class _Fixed(NamedTuple):
    """A parameter the builder wrote itself (a status, a constant list): the same on every call."""

    fixed: object

    def value(self, args):
        return self.fixed


class _Compiled:
    def __init__(self, queryset: QuerySet, placeholders: dict, *, every_value: bool = True, generic_plan=False):
        self.alias = queryset.db
        self.model = queryset.model
        ops = connections[self.alias].ops
        self.compiler = queryset.query.get_compiler(using=self.alias)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # e.g. pk__in=[]: nothing can match, so no query is run
            self.sql, params = None, ()
        if self.sql is not None and generic_plan:
            self.sql += GENERIC_PLAN  # a comment (core.plans); a count or a read_together wraps it and plans as usual
        self.columns = self.compiler.col_count
        # What turns the driver's values into the fields' (results_iter would work it out on every call).
        selected = [column[0] for column in (self.compiler.select or [])[: self.columns]]
        self.converters = self.compiler.get_converters(selected) if self.sql is not None else {}
        # Placeholders as the database driver is given them (a datetime is text on SQLite).
        slots = {}
        for placeholder, (index, position, kind) in placeholders.items():
            adapt = _ADAPT[kind](ops)
            slots[adapt(placeholder)] = _Slot(index, position, adapt)
        self.params = [
            slots.get(value, _Fixed(value))
            if isinstance(value, _HASHABLE) and not isinstance(value, bool)
            else _Fixed(value)
            for value in params
        ]
        missing = set(slots.values()) - {param for param in self.params if isinstance(param, _Slot)}
        if self.sql is not None and missing and every_value:
            where = sorted((slot.index, slot.position) for slot in missing)
            raise NotPreparable(f"{queryset.model.__name__}: values {where} do not reach the SQL unchanged")

    def execute(self, args) -> list:
        if self.sql is None:
            return []
        with connections[self.alias].cursor() as cursor:
            _run(cursor, self.sql, self.params, args)
            rows = cursor.fetchall()
        if rows and len(rows[0]) != self.columns:
            rows = [row[: self.columns] for row in rows]
        if self.converters:
            return [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows

    def value(self, args):
        """The first column of the one row (None if there is none)."""
        rows = self.execute(args)
        return rows[0][0] if rows else None

    def converted(self, value):
        """A value of the first column as the driver gave it, as the field gives it."""
        if value is None or not self.converters:
            return value
        return next(iter(self.compiler.apply_converters([[value]], self.converters)))[0]

    @functools.cached_property
    def json_decoders(self) -> list | None:
        """How to read each column back from json_build_array (read_together), or None if some column cannot be."""
        if connections[self.alias].vendor != "postgresql" or self.columns > 90:  # json_build_array takes 100 at most
            return None
        decoders = []
        for column in self.compiler.select[: self.columns]:
            decode = _FROM_JSON.get(column[0].output_field.get_internal_type(), _same)
            if decode is None:
                return None
            decoders.append(decode)
        return decoders

    def json_rows_sql(self, number: int) -> str:
        """A scalar subquery giving this read's rows as JSON text, a row an array, in its order (read_together): an
        aggregate over a sorted subquery takes its rows in that order when, as here, nothing else is joined."""
        names = [f"c{i}" for i in range(self.columns)]
        alias = f"prepared_rows_{number}"
        row = ", ".join(f"{alias}.{name}" for name in names)
        return (
            f"(SELECT COALESCE(json_agg(json_build_array({row})), '[]')::text "
            f"FROM ({self.sql}) {alias}({', '.join(names)}))"
        )

    def rows_from_json(self, text: str) -> list:
        """The rows json_rows_sql gave, as execute() gives them: each value as the driver would have, converted."""
        decoders = self.json_decoders
        rows = [
            tuple(None if value is None else decode(value) for decode, value in zip(decoders, row, strict=True))
            for row in json.loads(text, parse_float=Decimal)
        ]
        if self.converters:
            return [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows

    def count(self, args) -> int:
        if self.sql is None:
            return 0
        with connections[self.alias].cursor() as cursor:
            _run(cursor, f"SELECT COUNT(*) FROM ({self.sql}) prepared_count", self.params, args)
            return cursor.fetchone()[0]

    def instances(self, args) -> list:
        """As Django's ModelIterable makes them: the model's fields, the select_related objects and annotations."""
        return self.instances_of(self.execute(args))

    def instances_of(self, rows: list) -> list:
        info, select = self.compiler.klass_info, self.compiler.select
        if info is None:
            raise NotPreparable(f"{self.model.__name__}: values querysets give rows, not instances")
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        related = get_related_populators(info, select, self.alias)
        annotations = self.compiler.annotation_col_map.items()
        found = []
        for row in rows:
            instance = info["model"].from_db(self.alias, names, row[start:end])
            for populator in related:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


class Prepared:
    """A function from plain values to a queryset, compiled once per database, shape and process."""

    def __init__(self, build, arity: int | None = None, *, generic_plan: bool = False):
        self.build, self.generic_plan = build, generic_plan
        self.arity = len(inspect.signature(build).parameters) if arity is None else arity
        self._compiled, self._lock = {}, threading.Lock()
        functools.update_wrapper(self, build)

    def _for(self, args, *, counting=False, window=None) -> _Compiled:
        if len(args) != self.arity:
            raise TypeError(f"{self.build.__name__} takes {self.arity} values, not {len(args)}")
        shape = (counting, window, *(_shape(value) for value in args))
        compiled = self._compiled.get(shape)
        if compiled is None:
            with self._lock:
                numbers, placeholders, values = itertools.count(), {}, []
                for index, value in enumerate(args):
                    values.append(_placeholder(value, index, numbers, placeholders))
                queryset = self.build(*values)
                every_value = True  # each value must reach the SQL as given (else it was changed on the way)
                if counting:  # a count needs no ORDER BY: a model's default ordering would sort rows only to count
                    queryset = queryset.order_by()
                    if not (queryset.query.distinct or queryset.query.group_by or queryset.query.combinator):
                        # Nor the columns: without select_related's joins and the annotations only shown, a team's
                        # caseload is counted from an index alone. A value only those used may then be left out:
                        # the whole query is checked instead.
                        _Compiled(queryset, placeholders)
                        queryset, every_value = queryset.values("pk"), False
                if window:  # LIMIT and OFFSET are written into the SQL, so each page is its own shape
                    queryset = queryset[window[0] : window[1]]
                if len(self._compiled) >= MAX_SHAPES:
                    self._compiled.clear()  # far-off pages of a long list: bounded, not kept forever
                compiled = self._compiled[shape] = _Compiled(
                    queryset, placeholders, every_value=every_value, generic_plan=self.generic_plan
                )
        return compiled

    def __call__(self, *args) -> QuerySet:
        """The queryset itself, for composing into another query (not compiled)."""
        return self.build(*args)

    def rows(self, *args) -> list[tuple]:
        """The rows of a values_list queryset, as tuples."""
        return self._for(args).execute(args)

    def instances(self, *args) -> list:
        """Model instances, with their select_related objects and annotations (not prefetch_related)."""
        return self._for(args).instances(args)

    def count(self, *args) -> int:
        return self._for(args, counting=True).count(args)

    def read(self, *args):
        """The first column of the one row (None if there is none)."""
        return self._for(args).value(args)

    def window(self, start: int, stop: int, *args) -> list:
        """instances() of queryset[start:stop]."""
        return self._for(args, window=(start, stop)).instances(args)


class Counting(NamedTuple):
    """A prepared count not yet run, so that several can be run as one statement (read_together). With `up_to`,
    it stops there (a badge that shows "99+" need not count a thousand)."""

    query: "Prepared"
    args: tuple
    up_to: int | None = None


def counting(query: "Prepared", *args, up_to: int | None = None) -> Counting:
    return Counting(query, args, up_to)


class Reading(NamedTuple):
    """A prepared read of one value not yet run (the first column of its one row, None if it has none), so that
    several can be run as one statement (read_together)."""

    query: "Prepared"
    args: tuple


def reading(query: "Prepared", *args) -> Reading:
    return Reading(query, args)


class Listing(NamedTuple):
    """A prepared read of rows not yet run: its rows as Prepared.rows gives them, or with `instances` its model
    instances as Prepared.instances does, so that several can be run as one statement (read_together)."""

    query: "Prepared"
    args: tuple
    instances: bool = False


def listing(query: "Prepared", *args, instances: bool = False) -> Listing:
    return Listing(query, args, instances)


def read_together(reads: dict) -> dict:
    """{name: Counting, Reading, Listing or a value} -> {name: value}, the Countings, Readings and Listings answered
    by one statement of scalar subqueries (the navigation's badges, a case's contact summary: one round trip instead
    of one each). A Listing's rows come as JSON on PostgreSQL, read back to the values the driver gives; elsewhere,
    with a column JSON cannot carry, or on another database, a read runs alone. A Reading must give one row at
    most."""
    found, parts, params, values, alias = {}, [], [], [], None
    for name, read in reads.items():
        if not isinstance(read, Counting | Reading | Listing):
            found[name] = read
            continue
        if isinstance(read, Counting):
            compiled = read.query._for(read.args, counting=True, window=(0, read.up_to) if read.up_to else None)
        else:
            compiled = read.query._for(read.args)
        if compiled.sql is None:
            found[name] = 0 if isinstance(read, Counting) else [] if isinstance(read, Listing) else None
        elif alias not in (None, compiled.alias) or (isinstance(read, Listing) and compiled.json_decoders is None):
            found[name] = _alone(compiled, read)
        else:
            alias = compiled.alias
            number = len(parts)
            if isinstance(read, Counting):
                sql = f"(SELECT COUNT(*) FROM ({compiled.sql}) prepared_count_{number})"
            else:
                sql = compiled.json_rows_sql(number) if isinstance(read, Listing) else f"({compiled.sql})"
            parts.append((name, sql, compiled, read))
            params += compiled.params
            values += [param.value(read.args) for param in compiled.params if isinstance(param, _Slot)]
    if parts:
        # The statement's slots, in order, take the values each read gave its own.
        numbers = itertools.count()
        params = [_Slot(next(numbers), None, _same) if isinstance(param, _Slot) else param for param in params]
        with connections[alias].cursor() as cursor:
            _run(cursor, "SELECT " + ", ".join(sql for _, sql, _, _ in parts), params, values)
            row = cursor.fetchone()
        for (name, _, compiled, read), value in zip(parts, row, strict=True):
            if isinstance(read, Listing):
                rows = compiled.rows_from_json(value)
                found[name] = compiled.instances_of(rows) if read.instances else rows
            else:
                found[name] = compiled.converted(value) if isinstance(read, Reading) else value
    return {name: found[name] for name in reads}


def _alone(compiled: _Compiled, read):
    if isinstance(read, Counting):
        return compiled.count(read.args)
    if isinstance(read, Listing):
        return compiled.instances(read.args) if read.instances else compiled.execute(read.args)
    return compiled.value(read.args)


class PreparedSet:
    """A builder of a queryset of rows with its values, for a reader that chooses the columns (values_list): each
    set of columns is compiled once. `build` must be a module-level function, so its compiled SQL is shared. Its
    rows are a team's or an officer's cases, alike whichever team or officer: planned once for any (generic_plan)."""

    _by_columns: dict = {}

    def __init__(self, build, *args):
        self.build, self.args = build, args

    def values_rows(self, *columns, shape=None) -> list[tuple]:
        """The rows' `columns`; `shape` (a module-level function of the queryset, such as an annotate the columns
        name) is applied first."""
        key = (self.build, columns, shape)
        query = self._by_columns.get(key)
        if query is None:
            build = self.build

            def shaped(*args):
                built = build(*args)
                return (shape(built) if shape else built).values_list(*columns)

            shaped.__name__ = f"{build.__name__}_values"
            query = self._by_columns[key] = Prepared(shaped, arity=len(self.args), generic_plan=True)
        return query.rows(*self.args)


class PreparedList:
    """A prepared queryset with its values, as a Paginator's object_list: counted, and read a page at a time
    (model instances, as Prepared.instances gives them)."""

    def __init__(self, query: Prepared, *args):
        self.query, self.args = query, args

    def count(self) -> int:
        return self.query.count(*self.args)

    def __getitem__(self, page: slice) -> list:
        if not isinstance(page, slice) or page.step is not None or page.stop is None:
            raise TypeError("a PreparedList is read a page (start:stop) at a time")
        return self.query.window(page.start or 0, page.stop, *self.args)


def prepared(build=None, *, generic_plan: bool = False):
    """@prepared, or @prepared(generic_plan=True) for a read PostgreSQL should plan once for any values (core.plans:
    reads of a team's hundreds of cases, whose values select alike)."""
    if build is None:
        return functools.partial(Prepared, generic_plan=generic_plan)
    return Prepared(build, generic_plan=generic_plan)


def prepared_filter(model, lookup: str) -> Prepared:
    """model.objects.filter(<lookup>=value), prepared: a case's records (`"service_user"`) or rows by id
    (`"pk__in"`), in the model's default order."""

    def build(value):
        return model.objects.filter(**{lookup: value})

    build.__name__ = f"{model.__name__}_by_{lookup}"
    return Prepared(build)


def _run(cursor, sql: str, params: list, args) -> None:
    """cursor.execute(sql) with the params' values for `args`. On PostgreSQL the server plans it once per
    connection too (core.plans)."""
    cursor.execute(sql, [param.value(args) for param in params])


def _kind(value) -> str:
    if value is None:
        return "none"  # not a placeholder: the builder sees None, so None is part of the query's shape
    if isinstance(value, bool):
        raise NotPreparable("a flag changes the query itself: build one prepared query for each")
    for kind, types in _KINDS:
        if isinstance(value, types):
            return kind
    raise NotPreparable(f"{type(value).__name__} values cannot be prepared")


def _shape(value):
    if isinstance(value, list | tuple):
        if len({_kind(item) for item in value}) > 1:
            raise NotPreparable("a list of mixed values cannot be prepared")
        return ("list", len(value), _kind(value[0]) if value else None)
    return _kind(value)


def _placeholder(value, index, numbers, placeholders):
    """A stand-in for the value, unlike any real one, recorded in `placeholders` with where it goes."""
    if isinstance(value, list | tuple):
        items = []
        for position, item in enumerate(value):
            stand_in = _STAND_INS[_kind(item)](next(numbers))
            placeholders[stand_in] = (index, position, _kind(item))
            items.append(stand_in)
        return items
    if value is None:
        return None
    stand_in = _STAND_INS[_kind(value)](next(numbers))
    placeholders[stand_in] = (index, None, _kind(value))
    return stand_in


# datetime before date: a datetime is a date too.
_KINDS = (("int", int), ("str", str), ("datetime", datetime), ("date", date))
_HASHABLE = (int, str, datetime, date)
_STAND_INS = {
    # Far above any id this service will issue and inside a 32-bit column, so casework.lookups.IntegerIn keeps it.
    "int": lambda n: 2_147_000_000 + n,
    "str": lambda n: f"\x1fprepared:{n}",
    "datetime": lambda n: datetime(1901, 2, 3, 4, 5, 6, n, tzinfo=UTC),
    "date": lambda n: date(1901, 2, 3) + timedelta(days=n),
}
_ADAPT = {
    "int": lambda ops: _same,
    "str": lambda ops: _same,
    "datetime": lambda ops: ops.adapt_datetimefield_value,
    "date": lambda ops: ops.adapt_datefield_value,
}


def _same(value):
    return value


# A column's value as json_build_array writes it, back to what psycopg2 gives (read_together's Listings); None: JSON
# cannot carry it faithfully (read alone). Any other kind of column (numbers, text, booleans, keys) comes as it is.
_FROM_JSON = {
    "DateTimeField": datetime.fromisoformat,  # "2026-11-30T14:35:43.657339+00:00": the connection's UTC
    "DateField": date.fromisoformat,
    "TimeField": time.fromisoformat,
    "DecimalField": Decimal,  # read with parse_float=Decimal, so never through a float
    "FloatField": float,
    "UUIDField": uuid.UUID,
    "JSONField": None,  # Django reads the text; JSON within JSON would arrive already parsed
    "DurationField": None,
    "BinaryField": None,
}
