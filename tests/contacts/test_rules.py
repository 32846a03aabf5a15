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
        progress = rules.UnpaidWorkProgress(ordered_hours=80, worked_minutes=7 * 60 * 3 + 30)
        assert progress.completed_text == "21 hours 30 minutes"
        assert progress.remaining_text == "58 hours 30 minutes"

    def test_session_across_the_clock_change_counts_real_minutes(self):
        # 00:00 to 03:00 local on 25 October 2026 is four real hours (clocks go back at 02:00).
        start = datetime(2026, 10, 25, 0, 0, tzinfo=LONDON)
        end = datetime(2026, 10, 25, 3, 0, tzinfo=LONDON)
        assert rules.credited_minutes(outcome=Outcome.ATTC, starts_at=start, ends_at=end, penalty_minutes=0) == 240


CO = rules.OrderPeriod(1, "CO", date(2024, 1, 1), date(2028, 1, 1))
SSO = rules.OrderPeriod(2, "SSO", date(2024, 1, 1), date(2028, 1, 1))
LICENCE = rules.OrderPeriod(3, "LIC", date(2024, 1, 1), date(2028, 1, 1))


def warned(given_on: date, order=CO, failure_id=None) -> list[rules.WarningGiven]:
    return [rules.WarningGiven(order.pk, given_on, failure_id)]


def breach(failure_on: date, warnings, order=CO, failure_id=None) -> rules.EnforcementAdvice:
    return rules.enforcement_advice(failure_on=failure_on, order=order, warnings=warnings, failure_id=failure_id)


def test_unpaid_work_credit_never_exceeds_the_hours_ordered():
    progress = rules.UnpaidWorkProgress(ordered_hours=40, worked_minutes=41 * 60)
    assert progress.completed_minutes == 40 * 60 and progress.remaining_minutes == 0 and progress.is_complete
    assert not rules.UnpaidWorkProgress(ordered_hours=40, worked_minutes=39 * 60).is_complete


class TestBreachPeriod:
    """12 months beginning with the date the warning was given: that day counts, the period ends the day before
    the corresponding date (Interpretation Act 1978 Sch 1; Dodds v Walker), or the month's last day if none."""

    @pytest.mark.parametrize(
        "given, ends",
        [
            (date(2026, 3, 15), date(2027, 3, 14)),
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2024, 2, 29), date(2025, 2, 28)),  # no 29 February 2025: the last day of February
            (date(2023, 3, 1), date(2024, 2, 29)),  # the day before 1 March in a leap year
            (date(2023, 2, 28), date(2024, 2, 27)),
            (date(2026, 12, 31), date(2027, 12, 30)),
        ],
    )
    def test_period_end(self, given, ends):
        assert rules.period_end(given) == ends

    def test_day_before_the_anniversary_is_within(self):
        advice = breach(date(2027, 3, 14), warned(date(2026, 3, 15)))
        assert advice.requires_breach and advice.last_warning_on == date(2026, 3, 15)
        assert advice.period_ends_on == date(2027, 3, 14)
        assert advice.statute == "Sentencing Act 2020, Schedule 10, paragraph 6"

    def test_anniversary_is_outside(self):
        assert not breach(date(2027, 3, 15), warned(date(2026, 3, 15))).requires_breach

    def test_leap_day_warning_period_ends_28_february(self):
        assert breach(date(2025, 2, 28), warned(date(2024, 2, 29))).requires_breach
        assert not breach(date(2025, 3, 1), warned(date(2024, 2, 29))).requires_breach

    def test_period_runs_from_the_date_the_warning_was_given_not_the_failure(self):
        # The failure warned was in January 2026; the letter went on 20 February 2026.
        warning = [rules.WarningGiven(CO.pk, date(2026, 2, 20), failure_id=7)]
        assert breach(date(2027, 2, 19), warning).requires_breach
        assert not breach(date(2027, 2, 20), warning).requires_breach

    def test_warning_day_itself_is_within(self):
        assert breach(date(2026, 3, 15), warned(date(2026, 3, 15))).requires_breach

    def test_failure_before_the_warning_is_not_a_further_failure(self):
        assert not breach(date(2026, 1, 1), warned(date(2026, 6, 1))).requires_breach

    def test_the_warnings_own_failure_does_not_count(self):
        assert not breach(date(2026, 3, 15), warned(date(2026, 3, 15), failure_id=9), failure_id=9).requires_breach

    def test_no_warning_no_breach(self):
        assert not breach(date(2026, 11, 26), []).requires_breach


class TestPerOrder:
    def test_a_warning_on_another_order_does_not_count(self):
        assert not breach(date(2026, 5, 1), warned(date(2026, 3, 15), order=SSO), order=CO).requires_breach

    def test_suspended_sentence_order_cites_schedule_16(self):
        advice = breach(date(2026, 5, 1), warned(date(2026, 3, 15), order=SSO), order=SSO)
        assert advice.requires_breach and advice.statute == "Sentencing Act 2020, Schedule 16, paragraph 6"

    def test_a_licence_never_gets_the_court_breach_prompt(self):
        advice = breach(date(2026, 5, 1), warned(date(2026, 3, 15), order=LICENCE), order=LICENCE)
        assert not advice.requires_breach and advice.licence

    def test_no_order_no_breach(self):
        assert not breach(date(2026, 5, 1), warned(date(2026, 3, 15)), order=None).requires_breach

    def test_order_in_force_on_the_day(self):
        old = rules.OrderPeriod(4, "CO", date(2024, 1, 1), date(2025, 1, 1))
        new = rules.OrderPeriod(5, "SSO", date(2025, 6, 1), date(2026, 6, 1))
        assert rules.order_in_force([old, new], date(2024, 6, 1)) == old
        assert rules.order_in_force([old, new], date(2025, 7, 1)) == new
        assert rules.order_in_force([old, new], date(2025, 3, 1)) == old  # between orders: the latest started
        assert rules.order_in_force([old, new], date(2023, 3, 1)) is None


def test_compliance_summary_counts_last_12_months():
    summary = rules.compliance_summary(
        today=date(2026, 11, 26),
        failures=[date(2025, 11, 1), date(2026, 3, 1), date(2026, 11, 20)],
        warnings=warned(date(2026, 3, 2)) + warned(date(2025, 11, 25)),
        breaches=[],
        pending=1,
    )
    assert summary.failures_last_12_months == 2
    assert [w.given_on for w in summary.warnings_in_force] == [date(2026, 3, 2)]
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


def test_the_first_sentence_is_the_earliest_of_the_case_orders():
    orders = [
        rules.OrderPeriod(1, "CO", date(2025, 3, 1), date(2026, 3, 1), date(2025, 2, 20)),
        rules.OrderPeriod(2, "LIC", date(2025, 6, 1), date(2026, 6, 1), date(2024, 11, 5)),
        rules.OrderPeriod(3, "SSO", date(2025, 1, 1), date(2026, 1, 1)),  # no sentence date recorded
    ]
    assert rules.first_sentence(orders) == date(2024, 11, 5)
    assert rules.first_sentence(orders[2:]) is None
    assert rules.first_sentence([]) is None


class TestAnswersReminders:
    """Which outcomes queue the follow-up that marks "contact due" and "absence decision overdue" as read."""

    def test_a_national_standard_contact_attended_answers_contact_due(self):
        assert rules.answers_reminders(national_standard=True, outcome=Outcome.ATTC, new=True)

    def test_a_new_contact_outside_the_national_standard_answers_nothing(self):
        assert not rules.answers_reminders(national_standard=False, outcome=Outcome.ATTC, new=True)
        assert not rules.answers_reminders(national_standard=True, outcome=Outcome.UAAB, new=True)

    def test_no_outcome_or_a_decision_pending_answers_nothing(self):
        for new in (True, False):
            assert not rules.answers_reminders(national_standard=True, outcome="", new=new)
            assert not rules.answers_reminders(national_standard=True, outcome=Outcome.AFTA, new=new)

    def test_an_absence_decided_on_an_earlier_contact_answers_its_decision_reminder(self):
        assert rules.answers_reminders(national_standard=False, outcome=Outcome.UAAB, new=False)
        assert rules.answers_reminders(national_standard=False, outcome=Outcome.AACL, new=False)

    def test_the_sweep_and_the_follow_up_share_one_rule_for_each_reminder(self):
        assert rules.answers_contact_due(national_standard=True, outcome=Outcome.ATTC)
        assert not rules.answers_contact_due(national_standard=False, outcome=Outcome.ATTC)
        assert rules.answers_absence_decision(Outcome.UAAB) and rules.answers_absence_decision(Outcome.ATTC)
        assert not rules.answers_absence_decision(Outcome.AFTA) and not rules.answers_absence_decision("")
