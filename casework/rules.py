"""Pure helpers for casework: no ORM, no request."""

from datetime import date, timedelta

from .constants import ENDED_STATUSES


def display_value(value, choices=None) -> str:
    """How a stored value reads to a person on the timeline."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if choices:
        lookup = {str(k): str(v) for k, v in choices if k not in ("", None)}
        if str(value) in lookup:
            return lookup[str(value)]
    if isinstance(value, (list, tuple, set)) or hasattr(value, "__iter__") and not isinstance(value, str):
        items = [str(v) for v in value]
        return ", ".join(sorted(items)) if items else "(none)"
    return str(value)


def describe_change(*, label: str, old, new, choices=None) -> dict | None:
    """A before/after pair for the timeline, or None when the readable value did not change."""
    before, after = display_value(old, choices), display_value(new, choices)
    if before == after:
        return None
    return {"field": label, "from": before, "to": after}


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`."""
    if end <= start:
        return 0
    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def order_end_error(*, status: str, active: bool, start: date, ended_on: date, today: date, reason: str) -> tuple:
    """Why an order cannot end like this, as (field, message), or None when it can.

    An order ends once, on a day between its start and today, in one of the ended statuses, with a reason."""
    if not active:
        return ("status", "This order has already ended")
    if status not in ENDED_STATUSES:
        return ("status", "Select how the order ended")
    if ended_on > today:
        return ("ended_on", "The date the order ended must be today or in the past")
    if ended_on < start:
        return ("ended_on", f"The order cannot end before it started ({start.day} {start:%B %Y})")
    if not reason.strip():
        return ("reason", "Enter why the order ended")
    return None
