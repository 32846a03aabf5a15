"""Querysets compiled to SQL once per process, for the few queries every signed-in page runs.

Building and compiling a queryset costs about half a millisecond of Python each time, where the database answers
a small indexed query in a tenth of that. The session, the user, their teams and the navigation's counts run on
every page, so their SQL is compiled once, from the same ORM code as before, and later calls only put the new
values in. The queryset stays the single statement of what is read:

    @prepared
    def _unread(user_id, team_ids):
        return Notification.objects.filter(recipient_id=user_id, service_user__team__in=team_ids)

    _unread.count(user.pk, [3, 4])

How: `build` is called once with placeholder values (large integers, or marked strings) and compiled; each
placeholder is then found among the SQL's parameters, and a call puts its own values in those places. A list is
compiled once per length, as its `IN (...)` differs. Only values that reach the SQL unchanged can be placeholders
(ints, lists of ints, strings compared exactly); a builder that transforms one, or branches on it, is refused when
first compiled rather than run wrong.
"""

import functools
import inspect
import itertools
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# Far above any id this service will issue and inside a 32-bit column, so casework.lookups.IntegerIn keeps it.
_FIRST_PLACEHOLDER = 2_147_000_000
_STRING_MARK = "\x1fprepared:"


class NotPreparable(TypeError):
    """The builder changes or drops a placeholder, so its SQL cannot be reused with other values."""


class _Compiled:
    def __init__(self, queryset: QuerySet, slots: dict):
        self.alias = queryset.db
        self.model = queryset.model
        self.compiler = queryset.query.get_compiler(using=self.alias)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # e.g. pk__in=[]: nothing can match, so no query is run
            self.sql, params = None, ()
        self.columns = self.compiler.col_count
        # Each parameter: ("value", argument index, list index or None) for a placeholder, else ("fixed", value).
        self.params, seen = [], set()
        for value in params:
            slot = slots.get(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
            self.params.append(("value", *slot) if slot else ("fixed", value))
            if slot:
                seen.add(slot)
        missing = set(slots.values()) - seen
        if self.sql is not None and missing:
            raise NotPreparable(f"{queryset.model.__name__}: values {sorted(missing)} do not reach the SQL unchanged")

    def _params(self, args) -> list:
        return [
            spec[1] if spec[0] == "fixed" else args[spec[1]] if spec[2] is None else args[spec[1]][spec[2]]
            for spec in self.params
        ]

    def execute(self, args) -> list:
        if self.sql is None:
            return []
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self._params(args))
            rows = [row[: self.columns] for row in cursor.fetchall()]
        return [tuple(row) for row in self.compiler.results_iter(results=[rows])]

    def count(self, args) -> int:
        if self.sql is None:
            return 0
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) prepared_count", self._params(args))
            return cursor.fetchone()[0]

    def instances(self, args) -> list:
        info = self.compiler.klass_info
        if info is None or info.get("related_klass_infos") or self.compiler.annotation_col_map:
            raise NotPreparable(f"{self.model.__name__}: only plain model querysets give instances")
        names = [column[0].target.attname for column in self.compiler.select[: self.columns]]
        return [self.model.from_db(self.alias, names, row) for row in self.execute(args)]


class Prepared:
    """A function from plain values to a queryset, compiled once per database, shape and process."""

    def __init__(self, build):
        self.build = build
        self.arity = len(inspect.signature(build).parameters)
        self._compiled, self._lock = {}, threading.Lock()
        functools.update_wrapper(self, build)

    def _for(self, args, *, counting=False) -> _Compiled:
        if len(args) != self.arity:
            raise TypeError(f"{self.build.__name__} takes {self.arity} values, not {len(args)}")
        shape = (counting, *(_shape(value) for value in args))
        compiled = self._compiled.get(shape)
        if compiled is None:
            with self._lock:
                numbers, slots, placeholders = itertools.count(_FIRST_PLACEHOLDER), {}, []
                for index, value in enumerate(args):
                    placeholders.append(_placeholder(value, index, numbers, slots))
                queryset = self.build(*placeholders)
                # A count needs no ORDER BY (a model's default ordering would sort rows only to count them).
                compiled = self._compiled[shape] = _Compiled(queryset.order_by() if counting else queryset, slots)
        return compiled

    def __call__(self, *args) -> QuerySet:
        """The queryset itself, for composing into another query (not compiled)."""
        return self.build(*args)

    def rows(self, *args) -> list[tuple]:
        """The rows of a values_list queryset, as tuples."""
        return self._for(args).execute(args)

    def instances(self, *args) -> list:
        """Model instances, for a plain model queryset (no select_related, annotations or deferred fields)."""
        return self._for(args).instances(args)

    def count(self, *args) -> int:
        return self._for(args, counting=True).count(args)


def prepared(build) -> Prepared:
    return Prepared(build)


def _shape(value):
    if isinstance(value, bool):
        raise NotPreparable("a flag changes the query itself: build one prepared query for each")
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list | tuple):
        if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            raise NotPreparable("only lists of whole numbers can be prepared")
        return ("list", len(value))
    raise NotPreparable(f"{type(value).__name__} values cannot be prepared: compare in the database instead")


def _placeholder(value, index, numbers, slots):
    if isinstance(value, int):
        number = next(numbers)
        slots[number] = (index, None)
        return number
    if isinstance(value, str):
        marked = f"{_STRING_MARK}{next(numbers)}"
        slots[marked] = (index, None)
        return marked
    items = []
    for position in range(len(value)):
        number = next(numbers)
        slots[number] = (index, position)
        items.append(number)
    return items
