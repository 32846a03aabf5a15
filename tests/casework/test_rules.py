"""Pure helpers: no database."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from casework.rules import age_on, describe_change, display_value
from casework.templatetags.casework_tags import govuk_date, govuk_time


@pytest.mark.parametrize(
    "born, on, expected",
    [
        (date(1994, 3, 14), date(2026, 3, 13), 31),
        (date(1994, 3, 14), date(2026, 3, 14), 32),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
    ],
)
def test_age_on(born, on, expected):
    assert age_on(born, on) == expected


def test_describe_change_uses_readable_values():
    choices = [("", "---------"), ("CO", "Community order"), ("LIC", "Licence")]
    assert describe_change(label="Type", old="CO", new="LIC", choices=choices) == {
        "field": "Type",
        "from": "Community order",
        "to": "Licence",
    }
    assert describe_change(label="Ends", old=None, new=date(2027, 1, 5)) == {
        "field": "Ends",
        "from": "(blank)",
        "to": "5 January 2027",
    }
    assert describe_change(label="Flag", old=False, new=True) == {"field": "Flag", "from": "No", "to": "Yes"}


def test_describe_change_ignores_no_real_change():
    assert describe_change(label="Name", old="Alex", new="Alex") is None
    assert describe_change(label="Notes", old=None, new="") is None


def test_display_value_of_many():
    assert display_value(["Bo", "Al"]) == "Al, Bo"
    assert display_value([]) == "(none)"


def test_dates_and_times_in_words():
    assert govuk_date(date(2026, 11, 26)) == "Thursday 26 November 2026"
    assert govuk_date(date(2026, 11, 26), "short") == "Thu 26 Nov 2026"
    london = ZoneInfo("Europe/London")
    assert govuk_time(datetime(2026, 11, 26, 10, 0, tzinfo=london)) == "10am"
    assert govuk_time(datetime(2026, 11, 26, 14, 30, tzinfo=london)) == "2:30pm"
    assert govuk_time(datetime(2026, 11, 26, 0, 5, tzinfo=london)) == "12:05am"
