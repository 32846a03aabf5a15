"""Risk through the pages: snapshots from the database, risk reviews, the team view and its bounds."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from contacts.constants import ContactType, Outcome, PlanSource
from risk import selectors
from risk.constants import EnquiryKind, Rating, ScheduleSource
from risk.models import Enquiry, EnquirySchedule, RiskAssessment, RiskReview
from tests import factories
from tests.casework.test_forms import date_fields, error_summary


def ratings(case):
    return {r.key: r.rating for r in selectors.case_criteria(case)}


@pytest.fixture
def michelle_like(north):
    """The worked example built in the database the way the pages would build it."""
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, crn="D320001")
    order = factories.OrderFactory(service_user=case)
    factories.RequirementFactory(order=order)
    factories.OffenceFactory(order=order, domestic_abuse=True)
    ex_partner = factories.ProtectedPersonFactory(service_user=case)
    factories.RestrainingOrderFactory(service_user=case).protected_people.add(ex_partner)
    mother = factories.KeyIndividualFactory(service_user=case, involve=True)
    police = factories.AgencyInvolvementFactory(service_user=case, agency_type="police")
    factories.RiskAssessmentFactory(service_user=case, rosh_level="low", domestic_abuse_perpetrator=True)
    factories.ContactPlanFactory(service_user=case, frequency_days=7, source=PlanSource.APPROVED_CHANGE)
    # Midday local time, so "N days ago" is the same calendar day whatever the hour the tests run.
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    factories.ContactFactory(
        service_user=case, officer=north.officer, starts_at=now - timedelta(days=3), outcome=Outcome.ATTC
    )
    # The first home visit, five days into the order (HMPPS: within 12 weeks at low RoSH).
    factories.ContactFactory(
        service_user=case,
        officer=north.officer,
        contact_type=ContactType.CHVS,
        starts_at=now - timedelta(days=85),
        outcome=Outcome.ATTC,
    )
    factories.ContactFactory(
        service_user=case,
        officer=north.officer,
        contact_type=ContactType.CT3A,
        national_standard=False,
        with_whom="key_individual",
        key_individual=mother,
        starts_at=now - timedelta(days=20),
    )
    EnquirySchedule.objects.create(
        service_user=case, kind=EnquiryKind.DOMESTIC_ABUSE, interval_days=56, source=ScheduleSource.PROTOCOL
    )
    today = timezone.localdate()
    Enquiry.objects.create(
        service_user=case,
        kind="da",
        agency=police,
        requested_on=today - timedelta(days=28),
        response_due_on=today - timedelta(days=14),
        response_received_on=today - timedelta(days=23),
        result="none",
    )
    # Children's services checked at court, before the order started.
    Enquiry.objects.create(
        service_user=case,
        kind=EnquiryKind.SAFEGUARDING,
        requested_on=order.start_date - timedelta(days=2),
        response_due_on=order.start_date,
        response_received_on=order.start_date,
        result="none",
    )
    # Repeated during the order, on the default schedule (no schedule of its own for this kind).
    Enquiry.objects.create(
        service_user=case,
        kind=EnquiryKind.SAFEGUARDING,
        requested_on=today - timedelta(days=30),
        response_due_on=today - timedelta(days=16),
        response_received_on=today - timedelta(days=25),
        result="none",
    )
    return case


def test_worked_example_from_the_database_meets_all_applicable(michelle_like):
    assert ratings(michelle_like) == {
        "contact": Rating.MET,
        "victims": Rating.MET,
        "agencies": Rating.MET,
        "key_individuals": Rating.MET,
        "home_visits": Rating.MET,
    }


def test_logging_a_home_visit_changes_the_rating_on_next_load(client_for, north, michelle_like):
    client = client_for(north.officer)
    RiskAssessment.objects.create(
        service_user=michelle_like,
        rosh_level="high",
        assessed_on=timezone.localdate(),
        review_on=timezone.localdate() + timedelta(days=90),
        domestic_abuse_perpetrator=True,
    )
    page = client.get(f"/cases/{michelle_like.crn}/").content.decode()
    assert "Home visiting where necessary" in page and "Arrange a home visit" in page
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        f"/cases/{michelle_like.crn}/contacts/new/",
        {
            "contact_type": ContactType.CHVS,
            **date_fields("contact_date", yesterday),
            "start_time": "11:00",
            "with_whom": "service_user",
            "national_standard": "True",
            "outcome": Outcome.ATTC,
            "penalty_minutes": "0",
        },
    )
    assert response.status_code == 302
    assert ratings(michelle_like)["home_visits"] == Rating.MET
    assert "Arrange a home visit" not in client.get(f"/cases/{michelle_like.crn}/").content.decode()


class TestRiskReviewFlow:
    def respond(self, client, case, enquiry, **data):
        return client.post(f"/cases/{case.crn}/risk/enquiries/{enquiry.pk}/response/", data)

    def test_new_incidents_open_a_review_and_tell_the_manager(
        self, client_for, north, north_case, django_capture_on_commit_callbacks
    ):
        north.manager.email = "manager@example.gov.uk"
        north.manager.save()
        RiskReview.objects.all().delete()  # start from a case with no review open
        client = client_for(north.officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = self.respond(
                client,
                north_case.case,
                north_case.enquiry,
                result="incidents",
                summary="Police called to the ex-partner's address on 20 November",
                **date_fields("received_on", timezone.localdate()),
            )
        assert response.status_code == 302
        review = RiskReview.objects.get(service_user=north_case.case, closed_at__isnull=True)
        assert review.enquiry == north_case.enquiry
        overview = client.get(f"/cases/{north_case.case.crn}/").content.decode()
        assert "Risk review needed" in overview
        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == ["manager@example.gov.uk"]
        assert email.subject == f"Risk review needed: case {north_case.case.crn}"
        assert north_case.case.last_name not in email.subject
        assert north_case.case.contacts.filter(contact_type=ContactType.C515).exists()

        # It stays open until an officer records the review.
        url = f"/cases/{north_case.case.crn}/risk/reviews/{review.pk}/"
        assert "Enter what the risk review found" in error_summary(client.post(url, {"notes": ""}))
        assert RiskReview.objects.filter(pk=review.pk, closed_at__isnull=True).exists()
        client.post(url, {"notes": "Spoke to police and Michelle; increased contact; safety plan updated."})
        review.refresh_from_db()
        assert review.closed_by == north.officer
        assert "Risk review needed" not in client.get(f"/cases/{north_case.case.crn}/").content.decode()

    def test_notifying_twice_sends_one_email(self, north, north_case):
        from risk.tasks import notify_risk_review

        north.manager.email = "manager@example.gov.uk"
        north.manager.save()
        notify_risk_review(north_case.review.pk)
        notify_risk_review(north_case.review.pk)
        assert len(mail.outbox) == 1

    def test_no_incidents_opens_no_review(self, client_for, north, north_case):
        RiskReview.objects.all().delete()
        self.respond(
            client_for(north.officer),
            north_case.case,
            north_case.enquiry,
            result="none",
            **date_fields("received_on", timezone.localdate()),
        )
        assert not RiskReview.objects.exists() and not mail.outbox

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"result": "incidents", "summary": ""}, "Enter a summary of the incidents found"),
            ({"result": "none"}, "Enter the date the response was received"),
            ({}, "Select the result of the enquiry"),
        ],
    )
    def test_bad_responses(self, client_for, north, north_case, data, message):
        received = date_fields("received_on", timezone.localdate() if data.get("result") == "incidents" else None)
        response = self.respond(client_for(north.officer), north_case.case, north_case.enquiry, **received, **data)
        assert message in error_summary(response)
        north_case.enquiry.refresh_from_db()
        assert north_case.enquiry.result == ""

    def test_response_before_request_refused(self, client_for, north, north_case):
        early = north_case.enquiry.requested_on - timedelta(days=1)
        response = self.respond(
            client_for(north.officer),
            north_case.case,
            north_case.enquiry,
            result="none",
            **date_fields("received_on", early),
        )
        assert "The response cannot be received before the enquiry was requested" in error_summary(response)


def test_risk_record_is_versioned(client_for, north, north_case):
    url = f"/cases/{north_case.case.crn}/risk/assessment/new/"
    today = timezone.localdate()
    data = {
        "rosh_level": "low",
        **date_fields("assessed_on", today),
        **date_fields("review_on", today + timedelta(days=180)),
        "flags": ["domestic_abuse_perpetrator"],
        "at_risk": ["risk_to_known_adult"],
        "mappa_level": "",
    }
    client = client_for(north.officer)
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "rosh_level": "medium"}).status_code == 302
    versions = list(north_case.case.risk_assessments.all())
    assert [v.rosh_level for v in versions] == ["medium", "low"]
    assert versions[0].domestic_abuse_perpetrator and versions[0].risk_to_known_adult
    page = client.get(f"/cases/{north_case.case.crn}/risk/").content.decode()
    assert "MEDIUM ROSH" in page and "Risk record history" in page


def test_risk_record_bad_input(client_for, north, north_case):
    today = timezone.localdate()
    response = client_for(north.officer).post(
        f"/cases/{north_case.case.crn}/risk/assessment/new/",
        {**date_fields("assessed_on", today), **date_fields("review_on", today - timedelta(days=1))},
    )
    messages = error_summary(response)
    assert "Select the RoSH level" in messages
    assert "The review date must be after the date the risk was assessed" in messages
    assert not RiskAssessment.objects.exists()


def test_schedule_bad_input(client_for, north, north_case):
    response = client_for(north.officer).post(
        f"/cases/{north_case.case.crn}/risk/schedule/", {"kind": "da", "interval_weeks": "0"}
    )
    assert "Enter a number of weeks from 1 to 52" in error_summary(response)
    assert not EnquirySchedule.objects.exists()


class TestTeamView:
    def test_manager_sees_team_with_counts_and_csv(self, client_for, north, north_case, michelle_like):
        client = client_for(north.manager)
        response = client.get("/keeping-people-safe/")
        assert response.status_code == 200
        assert {case.crn for case, _ in response.context["rows"]} == {north_case.case.crn, michelle_like.crn}
        assert "Cases it applies to" in response.content.decode()
        export = client.get("/keeping-people-safe.csv")
        rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
        assert rows[0][:3] == ["CRN", "Name", "Responsible officer"]
        michelle_row = next(r for r in rows if r[0] == michelle_like.crn)
        assert michelle_row[3:8] == ["Met", "Met", "Met", "Met", "Met"]

    def test_sort_by_criterion_puts_not_met_first(self, client_for, north, north_case, michelle_like):
        response = client_for(north.manager).get("/keeping-people-safe/", {"sort": "contact"})
        first_case, first_results = response.context["rows"][0]
        assert first_results[0].rating != Rating.MET

    def test_officer_cannot_see_team_view(self, client_for, north):
        assert client_for(north.officer).get("/keeping-people-safe/").status_code == 403
        assert client_for(north.officer).get("/keeping-people-safe.csv").status_code == 403

    def test_manager_cannot_pick_another_team(self, client_for, north, south, south_case):
        response = client_for(north.manager).get("/keeping-people-safe/", {"team": south.team.pk})
        assert response.context["team"] == north.team
        assert south_case.case.crn not in response.content.decode()

    def test_rule_set_is_visible(self, client_for, north):
        page = client_for(north.officer).get("/keeping-people-safe/rule-set/").content.decode()
        assert "Rule set version 1" in page and "Longest gap between contacts at low RoSH" in page


def _team_of(size, north):
    for index in range(size):
        full_case = factories.ServiceUserFactory(team=north.team, crn=f"Q{index:06d}")
        order = factories.OrderFactory(service_user=full_case)
        factories.OffenceFactory(order=order)
        factories.ProtectedPersonFactory(service_user=full_case)
        factories.ContactPlanFactory(service_user=full_case)
        factories.ContactFactory(service_user=full_case, officer=north.officer, outcome=Outcome.ATTC)
        factories.EnquiryFactory(service_user=full_case)
        factories.RiskAssessmentFactory(service_user=full_case)
        factories.KeyIndividualFactory(service_user=full_case)


@pytest.mark.parametrize("size", [10, 200])
def test_snapshots_take_constant_queries(size, north, django_assert_max_num_queries):
    _team_of(size, north)
    from casework.models import ServiceUser

    # Nothing stored yet: every case's status is computed in batches (one read per "What's due" section, and one
    # more when any case has unpaid work sessions).
    with django_assert_max_num_queries(36):
        rows = selectors.team_criteria(ServiceUser.objects.filter(team=north.team))
    assert len(rows) == size
    assert all(len(results) == 5 for _, results in rows)


def test_team_page_queries_do_not_grow(client_for, north, django_assert_max_num_queries):
    _team_of(10, north)
    client = client_for(north.manager)
    with django_assert_max_num_queries(46):  # the first view of the day computes and stores each case's status
        client.get("/keeping-people-safe/")
    with django_assert_max_num_queries(12):  # later views read the stored statuses
        client.get("/keeping-people-safe/")
