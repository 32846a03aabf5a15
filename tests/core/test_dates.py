"""The plausible-date rules, without a database: each says what is wrong in words a person can act on."""

from datetime import date

from core import dates

TODAY = date(2026, 11, 30)


class TestOrders:
    def problems(self, *, licence=False, sentence, start, end=date(2027, 11, 1)):
        return dates.order_date_problems(
            licence=licence, sentence_date=sentence, start_date=start, expected_end_date=end, today=TODAY
        )

    def test_a_recent_order_is_fine(self):
        assert self.problems(sentence=date(2026, 3, 3), start=date(2026, 3, 3)) == {}

    def test_a_community_order_sentenced_in_1900_is_a_typing_mistake(self):
        problems = self.problems(sentence=date(1900, 3, 3), start=date(2026, 3, 3))
        assert problems == {"sentence_date": "The sentence date must be on or after 1 January 2000. Check the year"}

    def test_a_licence_can_follow_a_sentence_passed_decades_ago(self):
        assert self.problems(licence=True, sentence=date(1978, 5, 2), start=date(1994, 6, 1)) == {}

    def test_even_a_licence_is_not_from_1900(self):
        problems = self.problems(licence=True, sentence=date(1900, 5, 2), start=date(1994, 6, 1))
        assert problems["sentence_date"] == "The sentence date must be on or after 1 January 1960. Check the year"

    def test_start_before_sentence(self):
        problems = self.problems(sentence=date(2026, 3, 3), start=date(2026, 3, 2))
        assert problems == {"start_date": "The start date must be the same as or after the sentence date"}

    def test_sentence_in_the_future(self):
        problems = self.problems(sentence=date(2026, 12, 1), start=date(2026, 12, 1))
        assert problems["sentence_date"] == "The sentence date must be today or in the past"

    def test_a_licence_may_start_on_a_release_date_still_to_come_but_an_order_may_not(self):
        assert (
            self.problems(licence=True, sentence=date(2020, 1, 6), start=date(2027, 1, 4), end=date(2029, 1, 4)) == {}
        )
        problems = self.problems(sentence=date(2026, 11, 2), start=date(2026, 12, 7))
        assert problems == {"start_date": "The start date must be today or in the past"}

    def test_expected_end_after_start_and_may_be_in_the_future(self):
        problems = self.problems(sentence=date(2026, 3, 3), start=date(2026, 3, 3), end=date(2026, 3, 3))
        assert problems == {"expected_end_date": "The expected end date must be after the start date"}


class TestOffence:
    def problem(self, offence_date, born=date(1994, 3, 14)):
        return dates.offence_date_problem(offence_date, sentence_date=date(2026, 3, 3), date_of_birth=born, today=TODAY)

    def test_no_date_and_an_old_offence_are_fine(self):
        assert self.problem(None) == ""
        assert self.problem(date(2009, 7, 1)) == ""  # a historic offence, sentenced years later

    def test_offence_after_the_sentence(self):
        assert (
            self.problem(date(2026, 4, 1)) == "The date of offence must be on or before the sentence date, 3 March 2026"
        )

    def test_offence_before_the_age_of_criminal_responsibility(self):
        assert self.problem(date(2003, 1, 1)) == (
            "The date of offence must be on or after the service user's 10th birthday, 14 March 2004 "
            "(the age of criminal responsibility)"
        )

    def test_a_leap_day_birthday(self):
        assert self.problem(date(2010, 2, 28), born=date(2000, 2, 29)).endswith(
            "1 March 2010 (the age of criminal responsibility)"
        )

    def test_in_the_future(self):
        assert self.problem(date(2026, 12, 25)) == "The date of offence must be today or in the past"


class TestRestrainingOrderAndAgency:
    def test_restraining_order_made_before_they_existed(self):
        problems = dates.restraining_order_date_problems(made_on=date(1990, 1, 1), expires_on=None, today=TODAY)
        assert problems == {"made_on": "The date the order was made must be on or after 1 January 1997. Check the year"}

    def test_restraining_order_from_1998_until_further_order_is_fine(self):
        assert dates.restraining_order_date_problems(made_on=date(1998, 5, 1), expires_on=None, today=TODAY) == {}

    def test_expiry_after_made_and_may_be_in_the_future(self):
        made = date(2026, 3, 3)
        assert dates.restraining_order_date_problems(made_on=made, expires_on=date(2031, 3, 3), today=TODAY) == {}
        problems = dates.restraining_order_date_problems(made_on=made, expires_on=made, today=TODAY)
        assert problems == {"expires_on": "The expiry date must be after the date the order was made"}

    def test_agency(self):
        assert dates.agency_date_problems(started_on=date(2025, 1, 6), ended_on=None, today=TODAY) == {}
        assert dates.agency_date_problems(started_on=date(1900, 1, 6), ended_on=None, today=TODAY) == {
            "started_on": "The date the agency became involved must be on or after 1 January 2000. Check the year"
        }
        assert dates.agency_date_problems(started_on=date(2025, 1, 6), ended_on=date(2025, 1, 5), today=TODAY) == {
            "ended_on": "The date involvement ended must be after the date it started"
        }
        assert dates.agency_date_problems(started_on=date(2025, 1, 6), ended_on=date(2027, 1, 5), today=TODAY) == {
            "ended_on": "The date involvement ended must be today or in the past"
        }


class TestPlanAndBreach:
    def test_plan_not_before_the_first_order_started(self):
        assert dates.plan_start_problem(date(2026, 3, 3), first_order_start=date(2026, 3, 3)) == ""
        assert dates.plan_start_problem(date(2026, 3, 2), first_order_start=date(2026, 3, 3)) == (
            "The date the plan starts must be on or after the day the first order started, 3 March 2026"
        )

    def test_plan_on_a_case_with_no_order_only_needs_a_plausible_year(self):
        assert dates.plan_start_problem(date(2026, 3, 2), first_order_start=None) == ""
        assert "Check the year" in dates.plan_start_problem(date(1926, 3, 2), first_order_start=None)

    def test_referral_not_before_the_order_started(self):
        assert dates.breach_referral_problem(date(2026, 3, 2), order_start=date(2026, 3, 3)) == (
            "The date referred for breach must be on or after the day the order started, 3 March 2026"
        )
        assert dates.breach_referral_problem(date(2026, 3, 3), order_start=date(2026, 3, 3)) == ""
        assert dates.breach_referral_problem(date(2026, 3, 3), order_start=None) == ""
