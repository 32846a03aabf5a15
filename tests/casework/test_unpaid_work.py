"""Unpaid work is done within 12 months of the order unless the court extends it (Sentencing Act 2020 Sch 9
para 1; Sch 10 para 21, Sch 16 para 27); a case at risk of missing the date is flagged in "What's due" ahead of
time, by local-policy numbers."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from casework import rules, services
from casework.models import UnpaidWorkExtension
from contacts.constants import ContactType, Outcome
from contacts.selectors import LOCAL_TZ
from core.errors import CaseworkError
from risk import rules as risk_rules
from risk.whats_due import whats_due
from tests import factories
from tests.casework.test_forms import date_fields, error_summary


class TestCompletionDate:
    @pytest.mark.parametrize(
        "made_on, last_day",
        [
            (date(2026, 3, 15), date(2027, 3, 14)),
            (date(2024, 2, 29), date(2025, 2, 28)),  # no 29 February: the last day of the month
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2025, 12, 31), date(2026, 12, 30)),
        ],
    )
    def test_twelve_months_beginning_with_the_order(self, made_on, last_day):
        assert rules.upw_complete_by(made_on, []) == last_day

    def test_the_latest_court_extension_counts(self):
        assert rules.upw_complete_by(date(2026, 3, 15), [date(2027, 6, 1), date(2027, 9, 1)]) == date(2027, 9, 1)


class TestAtRisk:
    BY = date(2027, 3, 14)
    T = risk_rules.Thresholds(upw_hours_per_week=6, upw_warning_days=28)

    def risk(self, today, remaining_hours):
        return risk_rules.upw_at_risk(
            complete_by=self.BY, remaining_minutes=remaining_hours * 60, today=today, t=self.T
        )

    def test_nothing_left_is_never_at_risk(self):
        assert self.risk(self.BY + timedelta(days=5), 0) is None

    def test_within_the_warning_days_with_hours_left(self):
        assert self.risk(self.BY - timedelta(days=28), 1) is None  # 29 days left, counting both ends
        flagged = self.risk(self.BY - timedelta(days=27), 1)  # 28 days left
        assert flagged and not flagged.overdue and "28 days to complete them by 14 March 2027" in flagged.message

    def test_more_hours_than_the_weekly_rate_allows(self):
        # 70 days left (10 weeks) at 6 hours a week allow 60 hours.
        today = self.BY - timedelta(days=69)
        assert self.risk(today, 60) is None
        flagged = self.risk(today, 61)
        assert flagged and "more than 6 hours a week" in flagged.message

    def test_the_date_passed_with_hours_left(self):
        assert self.risk(self.BY, 1).overdue is False
        assert self.risk(self.BY + timedelta(days=1), 1).overdue is True

    def test_the_numbers_are_local_policy_with_labels(self):
        for name in ("upw_hours_per_week", "upw_warning_days"):
            assert risk_rules.is_local(name) and risk_rules.THRESHOLD_LABELS[name]


@pytest.fixture
def upw(north_case):
    return north_case.requirement  # 80 hours, on an order made 90 days ago


def extend(actor, requirement, **overrides):
    values = dict(
        extended_to=requirement.order.sentence_date + timedelta(days=500),
        court="Westshire Magistrates' Court",
        granted_on=timezone.localdate(),
    )
    return services.upw_extension_record(actor=actor, requirement_id=requirement.pk, **{**values, **overrides})


class TestExtension:
    def test_an_extension_moves_the_date_and_goes_on_the_timeline(self, north, north_case, upw):
        extension = extend(north.officer, upw)
        upw.refresh_from_db()
        assert upw.upw_complete_by == extension.extended_to
        event = north_case.case.events.get(summary__startswith="Unpaid work extended")
        assert event.changes[0]["field"] == "Complete the hours by"

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"extended_to": date(2000, 1, 1)}, "extended_to"),
            ({"granted_on": date.today() + timedelta(days=1)}, "granted_on"),
            ({"granted_on": date(2000, 1, 1)}, "granted_on"),
            ({"court": " "}, "court"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(self, north, upw, overrides, field):
        with pytest.raises(CaseworkError) as error:
            extend(north.officer, upw, **overrides)
        assert field in error.value.errors
        assert not UnpaidWorkExtension.objects.exists()

    def test_only_unpaid_work_is_extended(self, north, north_case):
        rar = factories.RequirementFactory(order=north_case.order, requirement_type="RAR", unpaid_work_hours=None)
        with pytest.raises(CaseworkError, match="Only an unpaid work requirement"):
            extend(north.officer, rar)

    def test_the_page_records_it(self, client_for, north, north_case, upw):
        client = client_for(north.officer)
        url = f"/cases/{north_case.case.crn}/requirements/{upw.pk}/extensions/new/"
        assert url in client.get(f"/cases/{north_case.case.crn}/sentence/").content.decode()
        empty = client.post(url, {**date_fields("extended_to", None), **date_fields("granted_on", None)})
        assert set(error_summary(empty)) == {
            "Enter the new date to complete the hours by",
            "Enter the court that granted the extension",
            "Enter the date granted",
        }
        new_date = upw.order.sentence_date + timedelta(days=500)
        response = client.post(
            url,
            {
                "court": "Leeds Crown Court",
                **date_fields("extended_to", new_date),
                **date_fields("granted_on", date.today()),
            },
            follow=True,
        )
        assert "Extension recorded" in response.content.decode()
        assert UnpaidWorkExtension.objects.get().court == "Leeds Crown Court"


def session(case, requirement, officer, hours):
    start = datetime.combine(timezone.localdate() - timedelta(days=3), datetime.min.time(), tzinfo=LOCAL_TZ)
    return factories.ContactFactory(
        service_user=case,
        officer=officer,
        contact_type=ContactType.CUPA,
        requirement=requirement,
        outcome=Outcome.ATTC,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )


class TestWhatsDue:
    def items(self, officer):
        return whats_due(officer)["unpaid_work"]

    def test_flagged_ahead_of_time_and_cleared_when_the_hours_are_done(self, north, north_case, upw):
        # 80 hours, 275 days left: 6 hours a week allow about 235 hours, so not yet at risk.
        assert self.items(north.officer) == []
        order = upw.order
        order.sentence_date = order.start_date = timezone.localdate() - timedelta(days=300)
        order.save()
        [item] = self.items(north.officer)  # 65 days left allow about 55 hours: 80 are left
        assert item.case.crn == north_case.case.crn and "80 hours left" in item.what and item.tag == "At risk"
        for _ in range(10):
            session(north_case.case, upw, north.officer, 8)
        assert self.items(north.officer) == []  # all 80 hours credited: complete

    def test_an_extension_takes_it_off_the_list(self, north, north_case, upw):
        order = upw.order
        order.sentence_date = order.start_date = timezone.localdate() - timedelta(days=300)
        order.save()
        assert len(self.items(north.officer)) == 1
        extend(north.officer, upw, extended_to=timezone.localdate() + timedelta(days=300))
        assert self.items(north.officer) == []
