"""Contact rules on plain dates: due dates, unpaid work hours, the 12-month warning rule."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from contacts import rules
from contacts.constants import DueState, Outcome

LONDON = ZoneInfo("Europe/London")


class TestNextContactDue:
    def test_due_frequency_days_after_last_contact(self):
        assert rules.next_contact_due(
            frequency_days=7, plan_start=date(2026, 11, 1), last_contact=date(2026, 11, 19)
        ) == date(2026, 11, 26)

    def test_plan_start_when_no_contact_yet(self):
        assert rules.next_contact_due(frequency_days=14, plan_start=date(2026, 11, 1), last_contact=None) == date(
            2026, 11, 15
        )

    def test_contact_before_a_new_plan_does_not_count_before_its_start(self):
        # An approved weekly plan from 20 Nov: a contact on 1 Nov does not make the case overdue on 21 Nov.
        assert rules.next_contact_due(
            frequency_days=7, plan_start=date(2026, 11, 20), last_contact=date(2026, 11, 1)
        ) == date(2026, 11, 27)

    @pytest.mark.parametrize(
        "last, frequency, expected",
        [
            (date(2026, 1, 28), 7, date(2026, 2, 4)),  # across a month end
            (date(2026, 2, 20), 14, date(2026, 3, 6)),  # across February (28 days)
            (date(2028, 2, 20), 14, date(2028, 3, 5)),  # across a leap-year February
            (date(2026, 12, 29), 7, date(2027, 1, 5)),  # across a year end
            (date(2026, 3, 25), 7, date(2026, 4, 1)),  # across the spring clock change (29 March)
            (date(2026, 10, 20), 7, date(2026, 10, 27)),  # across the autumn clock change (25 October)
        ],
    )
    def test_due_dates_across_boundaries(self, last, frequency, expected):
        assert (
            rules.next_contact_due(frequency_days=frequency, plan_start=date(2025, 1, 1), last_contact=last) == expected
        )


class TestLocalDate:
    def test_late_evening_contact_in_summer_time_is_the_next_day_in_utc_terms(self):
        # 23:30 UTC on 24 October is 00:30 BST on 25 October: the contact was on the 25th.
        moment = datetime(2026, 10, 24, 23, 30, tzinfo=ZoneInfo("UTC"))
        assert rules.local_date(moment, LONDON) == date(2026, 10, 25)

    def test_after_the_autumn_clock_change_utc_and_local_agree(self):
        moment = datetime(2026, 10, 25, 23, 30, tzinfo=ZoneInfo("UTC"))
        assert rules.local_date(moment, LONDON) == date(2026, 10, 25)


class TestDueStatus:
    def test_overdue_counts_days(self):
        status = rules.contact_due_status(date(2026, 11, 20), today=date(2026, 11, 26))
        assert (status.status, status.days_overdue, status.label) == (DueState.OVERDUE, 6, "Overdue")

    def test_due_within_two_days(self):
        assert rules.contact_due_status(date(2026, 11, 28), today=date(2026, 11, 26)).status == DueState.DUE
        assert rules.contact_due_status(date(2026, 11, 26), today=date(2026, 11, 26)).status == DueState.DUE

    def test_not_due(self):
        assert rules.contact_due_status(date(2026, 11, 29), today=date(2026, 11, 26)).status == DueState.NOT_DUE


class TestUnpaidWorkCredit:
    start = datetime(2026, 11, 21, 9, 0, tzinfo=LONDON)

    def test_minutes_are_end_minus_start_minus_penalty(self):
        end = self.start + timedelta(hours=7)
        assert (
            rules.credited_minutes(outcome=Outcome.ATTC, starts_at=self.start, ends_at=end, penalty_minutes=30) == 390
        )

    def test_sent_home_credits_the_time_worked(self):
        end = self.start + timedelta(hours=2)
        assert rules.credited_minutes(outcome=Outcome.ATSH, starts_at=self.start, ends_at=end, penalty_minutes=0) == 120

    @pytest.mark.parametrize("outcome", [Outcome.UAAB, Outcome.AAME, Outcome.AFTA, Outcome.RSOF, ""])
    def test_no_credit_without_attendance(self, outcome):
        end = self.start + timedelta(hours=7)
        assert rules.credited_minutes(outcome=outcome, starts_at=self.start, ends_at=end, penalty_minutes=0) == 0

    def test_penalty_cannot_make_credit_negative(self):
        end = self.start + timedelta(minutes=20)
        assert rules.credited_minutes(outcome=Outcome.ATTC, starts_at=self.start, ends_at=end, penalty_minutes=60) == 0

    def test_progress_of_80_hours(self):
        progress = rules.UnpaidWorkProgress(ordered_hours=80, completed_minutes=7 * 60 * 3 + 30)
        assert progress.completed_text == "21 hours 30 minutes"
        assert progress.remaining_text == "58 hours 30 minutes"

    def test_session_across_the_clock_change_counts_real_minutes(self):
        # 00:00 to 03:00 local on 25 October 2026 is four real hours (clocks go back at 02:00).
        start = datetime(2026, 10, 25, 0, 0, tzinfo=LONDON)
        end = datetime(2026, 10, 25, 3, 0, tzinfo=LONDON)
        assert rules.credited_minutes(outcome=Outcome.ATTC, starts_at=start, ends_at=end, penalty_minutes=0) == 240


class TestWarningRule:
    def test_failure_within_12_months_of_a_warning_requires_breach(self):
        advice = rules.enforcement_advice(failure_on=date(2026, 11, 26), warnings=[date(2026, 3, 2)])
        assert advice.requires_breach and advice.last_warning_on == date(2026, 3, 2)

    def test_failure_on_the_anniversary_still_within_12_months(self):
        advice = rules.enforcement_advice(failure_on=date(2026, 11, 26), warnings=[date(2025, 11, 26)])
        assert advice.requires_breach

    def test_failure_more_than_12_months_after_the_warning_can_be_warned(self):
        advice = rules.enforcement_advice(failure_on=date(2026, 11, 26), warnings=[date(2025, 11, 25)])
        assert not advice.requires_breach

    def test_no_warning_no_breach_required(self):
        assert not rules.enforcement_advice(failure_on=date(2026, 11, 26), warnings=[]).requires_breach

    def test_later_warnings_do_not_count_for_an_earlier_failure(self):
        assert not rules.enforcement_advice(failure_on=date(2026, 1, 1), warnings=[date(2026, 6, 1)]).requires_breach


def test_compliance_summary_counts_last_12_months():
    summary = rules.compliance_summary(
        today=date(2026, 11, 26),
        failures=[date(2025, 11, 1), date(2026, 3, 1), date(2026, 11, 20)],
        warnings=[date(2026, 3, 2)],
        breaches=[],
        pending=1,
    )
    assert summary.failures_last_12_months == 2
    assert summary.warnings_last_12_months == [date(2026, 3, 2)]
    assert summary.status == "Warned"
    assert summary.pending_decisions == 1


def test_weekly_series_keeps_wall_clock_time_across_clock_change():
    starts = rules.repeat_starts(
        first_day=date(2026, 10, 19), at=time(10, 0), every_days=7, until=date(2026, 11, 2), tz=LONDON
    )
    assert [s.date() for s in starts] == [date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 2)]
    assert all(s.hour == 10 for s in starts)
    assert starts[0].utcoffset() == timedelta(hours=1) and starts[1].utcoffset() == timedelta(0)


def test_single_appointment_has_one_start():
    assert (
        len(rules.repeat_starts(first_day=date(2026, 12, 1), at=time(9, 30), every_days=None, until=None, tz=LONDON))
        == 1
    )
