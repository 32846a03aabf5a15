"""Sweep selection rules on plain dates."""

from datetime import date

import pytest

from casework.rules import working_days_between
from contacts.constants import DueState
from contacts.rules import contact_due_status, contact_reminder_actions
from risk.rules import enquiry_actions, enquiry_due, next_enquiry_due


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2026, 11, 23), date(2026, 11, 26), 3),  # Monday to Thursday
        (date(2026, 11, 20), date(2026, 11, 25), 3),  # Friday to Wednesday: the weekend does not count
        (date(2026, 11, 21), date(2026, 11, 23), 1),  # Saturday to Monday
        (date(2026, 11, 26), date(2026, 11, 26), 0),
        (date(2026, 11, 26), date(2026, 11, 20), 0),
    ],
)
def test_working_days(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize(
    "due_on, actions",
    [
        (date(2026, 12, 5), []),  # not due yet
        (date(2026, 11, 28), ["remind"]),  # due within 2 days
        (date(2026, 11, 20), ["remind"]),  # 6 days overdue: remind, not yet escalated
        (date(2026, 11, 19), ["remind"]),  # 7 days overdue: not more than 7, so not escalated
        (date(2026, 11, 17), ["remind", "escalate"]),  # 9 days overdue: escalate to the line manager
    ],
)
def test_contact_reminder_actions(due_on, actions):
    due = contact_due_status(due_on, date(2026, 11, 26))
    assert contact_reminder_actions(due, escalate_after_days=7) == actions


def test_first_enquiry_due_when_schedule_starts_then_every_interval():
    start = date(2026, 9, 1)
    assert next_enquiry_due(interval_days=56, schedule_start=start, last_requested=None) == start
    assert next_enquiry_due(interval_days=56, schedule_start=start, last_requested=date(2026, 10, 1)) == date(
        2026, 11, 26
    )
    # A check made before the schedule began (at court, say) counts: the next is an interval after it.
    assert next_enquiry_due(interval_days=56, schedule_start=start, last_requested=date(2026, 8, 1)) == date(
        2026, 9, 26
    )


@pytest.mark.parametrize(
    "today, actions",
    [
        (date(2026, 11, 20), []),
        (date(2026, 11, 24), ["request"]),  # 2 days ahead
        (date(2026, 12, 3), ["request"]),  # 7 days late: still the officer's
        (date(2026, 12, 4), ["request", "escalate"]),  # 8 days late: the line manager is told
    ],
)
def test_enquiry_actions(today, actions):
    assert (
        enquiry_actions(today=today, due_on=date(2026, 11, 26), remind_days_before=2, escalate_after_days=7) == actions
    )


@pytest.mark.parametrize(
    "today, status, escalate",
    [
        (date(2026, 11, 20), DueState.NOT_DUE, False),
        (date(2026, 11, 24), DueState.DUE, False),  # 2 days ahead: the officer is reminded
        (date(2026, 11, 26), DueState.DUE, False),  # due today is not yet overdue
        (date(2026, 11, 27), DueState.OVERDUE, False),
        (date(2026, 12, 4), DueState.OVERDUE, True),  # 8 days late: the line manager is told
    ],
)
def test_enquiry_due_is_the_next_date_and_what_it_calls_for(today, status, escalate):
    due = enquiry_due(
        kind="da",
        interval_days=56,
        schedule_start=date(2026, 9, 1),
        last_requested=date(2026, 10, 1),
        today=today,
        remind_days_before=2,
        escalate_after_days=7,
    )
    assert (due.kind, due.due_on, due.status, due.escalate) == ("da", date(2026, 11, 26), status, escalate)
