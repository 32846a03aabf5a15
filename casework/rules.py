"""Pure helpers for casework: no ORM, no request."""

import calendar
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


# Sentencing Act 2020 Schedule 9 paragraph 1(1)(b): unpaid work is performed "during a period of 12 months",
# unless the court extends it (Schedule 10 paragraph 21; Schedule 16 paragraph 27). The period is counted here
# from the day the order was made (its sentence date). The Sentencing Act 2026 s 36 removes the 12 months when it
# comes into force; it is not in force yet.
UPW_PERIOD_MONTHS = 12
UPW_SOURCE = (
    "Sentencing Act 2020, Schedule 9, paragraph 1 (extension: Schedule 10 paragraph 21, Schedule 16 paragraph 27)"
)


def months_period_end(start: date, months: int) -> date:
    """The last day of a period of `months` calendar months beginning with `start`: the day before the
    corresponding date, or the last day of the month where there is none (as contacts.rules.period_end)."""
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def upw_complete_by(made_on: date, extended_to: list[date]) -> date:
    """The last day to complete unpaid work: 12 months from the order, or the latest court extension."""
    return max(extended_to) if extended_to else months_period_end(made_on, UPW_PERIOD_MONTHS)


def upw_extension_error(
    *,
    is_upw: bool,
    active: bool,
    complete_by: date,
    extended_to: date,
    granted_on: date,
    made_on: date,
    today: date,
    court: str,
) -> tuple | None:
    """Why this extension cannot be recorded, as (field, message), or None."""
    if not is_upw:
        return (None, "Only an unpaid work requirement can be extended")
    if not active:
        return (None, "This requirement has ended")
    if granted_on > today:
        return ("granted_on", "The date granted must be today or in the past")
    if granted_on < made_on:
        return ("granted_on", "The extension cannot be granted before the order was made")
    if extended_to <= complete_by:
        return (
            "extended_to",
            f"The new date must be after {complete_by.day} {complete_by:%B %Y}, the date it replaces",
        )
    if not court.strip():
        return ("court", "Enter the court that granted the extension")
    return None
