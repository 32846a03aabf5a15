"""Pure helpers for casework: no ORM, no request."""

from datetime import date, timedelta


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
