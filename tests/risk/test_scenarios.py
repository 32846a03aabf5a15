"""Keeping-people-safe judgements on cases built through the services, as an inspector would judge them.

Each scenario records a case the way staff would (services, never the ORM), then reads the ratings the
case pages show. The thresholds are the shipped defaults (see risk.rules.THRESHOLD_SOURCES)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from casework import services as casework
from casework.constants import AgencyType, Gender, OrderType, Relationship, RequirementType
from casework.models import (
    AgencyInvolvement,
    KeyIndividual,
    Notification,
    Order,
    ProtectedPerson,
    Requirement,
    RestrainingOrder,
)
from contacts import services as contacts
from contacts.constants import ContactType, Outcome, PlanSource, WithWhom
from contacts.selectors import LOCAL_TZ
from core.errors import CaseworkError
from risk import services as risk
from risk import sweeps as risk_sweeps
from risk.constants import EnquiryKind, EnquiryResult, Rating
from risk.due import enquiries_due_for_cases
from risk.rules import Thresholds
from risk.selectors import case_criteria

TODAY = timezone.localdate
AGENCY_ASKED = {
    EnquiryKind.DOMESTIC_ABUSE: AgencyType.POLICE,
    EnquiryKind.SAFEGUARDING: AgencyType.CHILDRENS_SOCIAL_CARE,
}


def ago(days: int) -> date:
    return TODAY() - timedelta(days=days)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


@dataclass
class Case:
    """A case recorded through the services, with helpers for what staff record next."""

    staff: object
    record: object
    order: object = None
    victim: object = None
    agencies: dict = field(default_factory=dict)

    def rating(self, key: str) -> Rating:
        return self.result(key).rating

    def result(self, key: str):
        return next(r for r in case_criteria(self.record) if r.key == key)

    def seen(self, days_ago: int, kind=ContactType.COAP, outcome=Outcome.ATTC, **extra):
        return contacts.contact_log(
            actor=self.staff.officer,
            case=self.record,
            contact_type=kind,
            starts_at=at(ago(days_ago)),
            ends_at=at(ago(days_ago)) + timedelta(hours=1),
            national_standard=kind not in (ContactType.CUPA,),
            outcome=outcome,
            **extra,
        )

    def spoke_to(self, days_ago: int, kind: str, **extra):
        return contacts.contact_log(
            actor=self.staff.officer, case=self.record, contact_type=kind, starts_at=at(ago(days_ago)), **extra
        )

    def plan(self, every: int, days_ago: int):
        contacts.contact_plan_set(
            actor=self.staff.manager,
            case=self.record,
            frequency_days=every,
            source=PlanSource.APPROVED_CHANGE,
            starts_on=ago(days_ago),
        )

    def risk(self, rosh: str, days_ago: int, flags=()):
        risk.risk_assessment_add(
            actor=self.staff.officer,
            case=self.record,
            rosh_level=rosh,
            assessed_on=ago(days_ago),
            review_on=ago(days_ago) + timedelta(days=180),
            flags=set(flags),
        )

    def enquiry(self, kind: str, requested: int, received: int | None, result=EnquiryResult.NO_INCIDENTS):
        enquiry = risk.enquiry_request(
            actor=self.staff.officer,
            case=self.record,
            kind=kind,
            requested_on=ago(requested),
            response_due_on=ago(requested) + timedelta(days=10),
            agency=self.agencies.get(AGENCY_ASKED[kind]),
        )
        if received is not None:
            risk.enquiry_response_record(
                actor=self.staff.officer, enquiry=enquiry, received_on=ago(received), result=result, summary="Checked"
            )
        return enquiry

    def protect(self, name: str, relationship=Relationship.EX_PARTNER, is_victim=True):
        return casework.case_record_add(
            actor=self.staff.officer,
            case=self.record,
            model=ProtectedPerson,
            values={"full_name": name, "relationship": relationship, "is_victim": is_victim},
        )

    def agency(self, kind: str, days_ago: int):
        self.agencies[kind] = casework.case_record_add(
            actor=self.staff.officer,
            case=self.record,
            model=AgencyInvolvement,
            values={
                "agency_type": kind,
                "organisation": f"Westshire {kind}",
                "role": "Checks",
                "started_on": ago(days_ago),
            },
        )
        return self.agencies[kind]


def open_case(staff, *, crn: str, started: int, requirements=(RequirementType.UNPAID_WORK,), allocate=True) -> Case:
    """Opened, sentenced and (unless not) allocated on the day the order started."""
    start = ago(started)
    with time_machine.travel(at(start, 9), tick=False):
        return _open_case(staff, crn=crn, start=start, requirements=requirements, allocate=allocate)


def _open_case(staff, *, crn, start, requirements, allocate) -> Case:
    record = casework.service_user_create(
        actor=staff.manager,
        crn=crn,
        team=staff.team,
        first_name="Sam",
        last_name="Case",
        date_of_birth=date(1990, 5, 1),
        gender=Gender.FEMALE,
        officer=staff.officer if allocate else None,
    )
    case = Case(staff=staff, record=record)
    case.order = casework.case_record_add(
        actor=staff.manager,
        case=record,
        model=Order,
        values={
            "order_type": OrderType.COMMUNITY_ORDER,
            "court": "Westshire Magistrates' Court",
            "sentence_date": start,
            "start_date": start,
            "expected_end_date": start + timedelta(days=365),
        },
    )
    for kind in requirements:
        casework.case_record_add(
            actor=staff.manager,
            case=record,
            model=Requirement,
            values={
                "order": case.order,
                "requirement_type": kind,
                "unpaid_work_hours": 80 if kind == RequirementType.UNPAID_WORK else None,
                "rar_days": 10 if kind == RequirementType.RAR else None,
            },
        )
    return case


def michelle_like(staff, crn="D900001", started=98) -> Case:
    """The worked example: UPW only, domestic common assault, restraining order, low RoSH, weekly contact,
    police checks, mother involved, a home visit early in the order."""
    case = open_case(staff, crn=crn, started=started)
    case.risk("low", started - 3, flags={"domestic_abuse_perpetrator"})
    case.victim = case.protect("Alex Morgan")
    casework.case_record_add(
        actor=staff.officer,
        case=case.record,
        model=RestrainingOrder,
        values={
            "court": "Westshire Magistrates' Court",
            "made_on": ago(started),
            "until_further_order": True,
            "conditions": "No contact",
            "protected_people": [case.victim],
        },
    )
    casework.case_record_add(
        actor=staff.officer,
        case=case.record,
        model=KeyIndividual,
        values={"full_name": "Carol Dawson", "relationship": Relationship.PARENT, "involve": True},
    )
    case.agency(AgencyType.POLICE, started)
    case.agency(AgencyType.CHILDRENS_SOCIAL_CARE, started)
    # Checks made at court, before the order started, then repeated.
    case.enquiry(EnquiryKind.DOMESTIC_ABUSE, requested=started + 2, received=started)
    case.enquiry(EnquiryKind.SAFEGUARDING, requested=started + 2, received=started)
    case.enquiry(EnquiryKind.DOMESTIC_ABUSE, requested=30, received=25)
    case.enquiry(EnquiryKind.SAFEGUARDING, requested=40, received=35)
    case.plan(7, started - 20)
    case.seen(started - 2, kind=ContactType.COAI)
    case.seen(started - 20, kind=ContactType.CHVS)
    mother = case.record.key_individuals.get()
    case.spoke_to(20, ContactType.CT3A, with_whom=WithWhom.KEY_INDIVIDUAL, key_individual=mother)
    case.seen(3)
    return case


@pytest.fixture
def michelle(north):
    return michelle_like(north)


class TestContact:
    def test_the_worked_example_meets_every_criterion(self, michelle):
        assert {r.key: r.rating for r in case_criteria(michelle.record)} == {
            "contact": Rating.MET,
            "victims": Rating.MET,
            "agencies": Rating.MET,
            "key_individuals": Rating.MET,
            "home_visits": Rating.MET,
        }

    def test_kerry_allocated_with_a_weekly_plan_and_never_seen_is_not_met(self, north):
        kerry = open_case(north, crn="D900002", started=12)
        kerry.plan(7, 10)
        got = kerry.result("contact")
        assert got.rating == Rating.NOT_MET
        assert got.recommendation.startswith("Arrange the induction")
        assert "complete the RoSH screening" in got.recommendation

    def test_unallocated_case_past_the_induction_window_is_not_met(self, north):
        case = open_case(north, crn="D900003", started=6, allocate=False)
        assert case.rating("contact") == Rating.NOT_MET

    def test_new_case_inside_the_induction_window_is_not_yet_met(self, north):
        case = open_case(north, crn="D900004", started=2)
        case.risk("low", 1)
        case.plan(7, 1)
        assert case.rating("contact") == Rating.PARTLY_MET

    def test_a_new_plan_does_not_wipe_an_80_day_gap(self, north):
        gap = open_case(north, crn="D900006", started=120)
        gap.risk("low", 118)
        gap.seen(80)
        gap.plan(14, 0)
        got = gap.result("contact")
        assert got.rating == Rating.NOT_MET and "Contact is 66 days overdue" in got.evidence

    def test_unpaid_work_sessions_are_contact_on_an_unpaid_work_only_order(self, north):
        case = open_case(north, crn="D900007", started=60)
        case.risk("low", 58)
        case.seen(55, kind=ContactType.COAI)
        case.plan(14, 50)
        case.seen(4, kind=ContactType.CUPA)
        assert case.rating("contact") == Rating.MET

    def test_unpaid_work_sessions_are_not_enough_when_there_is_more_to_the_order(self, north):
        both = (RequirementType.UNPAID_WORK, RequirementType.RAR)
        case = open_case(north, crn="D900008", started=60, requirements=both)
        case.risk("low", 58)
        case.seen(55, kind=ContactType.COAI)
        case.plan(14, 50)
        case.seen(4, kind=ContactType.CUPA)
        assert case.rating("contact") == Rating.NOT_MET

    def test_rosh_never_screened_is_not_met(self, north):
        case = open_case(north, crn="D900009", started=30)
        case.seen(28, kind=ContactType.COAI)
        case.plan(14, 28)
        case.seen(5)
        got = case.result("contact")
        assert got.rating == Rating.NOT_MET and got.recommendation == "Complete the RoSH screening"


class TestVictims:
    def test_a_call_to_the_domestic_abuse_victim_is_not_a_safety_check(self, north):
        case = open_case(north, crn="D900012", started=200)
        case.risk("low", 198, flags={"domestic_abuse_perpetrator"})
        person = case.protect("Jo Victim")
        case.spoke_to(3, ContactType.CT3A, with_whom=WithWhom.PROTECTED_PERSON, protected_person=person)
        got = case.result("victims")
        assert got.rating == Rating.PARTLY_MET
        assert "third-party check" in " ".join(got.evidence) and "never" in " ".join(got.evidence)

    def test_victim_liaison_is_a_safety_check(self, north):
        case = open_case(north, crn="D900013", started=100)
        case.risk("low", 98, flags={"domestic_abuse_perpetrator"})
        case.protect("Jo Victim")
        case.spoke_to(10, ContactType.CVIC, with_whom=WithWhom.OTHER)
        assert case.rating("victims") == Rating.MET

    def test_a_contact_with_the_idva_is_a_safety_check(self, north):
        case = open_case(north, crn="D900014", started=100)
        case.risk("low", 98, flags={"domestic_abuse_perpetrator"})
        case.protect("Jo Victim")
        idva = case.agency(AgencyType.IDVA, 90)
        case.spoke_to(12, ContactType.CIEA, with_whom=WithWhom.AGENCY, agency=idva)
        assert case.rating("victims") == Rating.MET

    def test_childrens_services_response_is_a_safety_check(self, north):
        case = open_case(north, crn="D900015", started=100)
        case.risk("medium", 98, flags={"risk_to_children"})
        case.protect("A child", Relationship.CHILD, is_victim=False)
        case.agency(AgencyType.CHILDRENS_SOCIAL_CARE, 99)
        case.enquiry(EnquiryKind.SAFEGUARDING, requested=20, received=14)
        assert case.rating("victims") == Rating.MET

    @pytest.mark.parametrize("flag", ["risk_to_known_adult", "risk_to_children"])
    def test_a_known_adult_or_children_at_risk_need_recording(self, north, flag):
        case = open_case(north, crn="D900016", started=40)
        case.risk("medium", 38, flags={flag})
        got = case.result("victims")
        assert got.rating == Rating.NOT_MET and "Record the actual and potential victims" in got.recommendation

    def test_no_victim_domestic_abuse_or_order_is_not_applicable(self, north):
        case = open_case(north, crn="D900017", started=40)
        case.risk("low", 38)
        assert case.rating("victims") == Rating.NOT_APPLICABLE

    def test_logging_a_contact_with_a_victim_shows_a_caution(self, client_for, north, michelle):
        from tests.casework.test_forms import date_fields

        response = client_for(north.officer).post(
            f"/cases/{michelle.record.crn}/contacts/new/",
            {
                "contact_type": ContactType.CT3A,
                **date_fields("contact_date", ago(1)),
                "start_time": "10:00",
                "with_whom": WithWhom.PROTECTED_PERSON,
                "protected_person": michelle.victim.pk,
                "national_standard": "False",
                "penalty_minutes": "0",
            },
            follow=True,
        )
        page = response.content.decode()
        assert "Contact with a victim directly is not a check on their safety" in page


class TestChecksAtTheStart:
    def test_every_case_needs_police_and_childrens_services_checks(self, north):
        case = open_case(north, crn="D900023", started=20)
        case.risk("low", 18)
        got = case.result("agencies")
        assert got.rating == Rating.NOT_MET
        assert "police domestic abuse check" in got.recommendation
        assert "children's services safeguarding check" in got.recommendation

    def test_checks_made_at_court_before_the_order_started_count(self, north):
        case = open_case(north, crn="D900024", started=20)
        case.risk("low", 18)
        case.enquiry(EnquiryKind.DOMESTIC_ABUSE, requested=23, received=21)
        case.enquiry(EnquiryKind.SAFEGUARDING, requested=23, received=20)
        assert case.rating("agencies") == Rating.MET

    def test_the_first_checks_are_in_whats_due_by_the_date_the_rating_gives(self, client_for, north):
        """No schedule was set up for this case: it has one anyway, and "What's due", the reminder and the
        rating all give the same date for the first checks (allocation or the order's start + 5 days)."""
        case = open_case(north, crn="D900030", started=10)
        case.risk("low", 8)
        due_on = ago(10) + timedelta(days=Thresholds().start_checks_days)
        evidence = " ".join(case.result("agencies").evidence)
        assert f"by {due_on.day} {due_on:%B %Y}" in evidence
        page = client_for(north.officer).get("/due/").content.decode()
        assert "Request police domestic abuse call-out enquiry" in page
        assert "Request children&#x27;s social care safeguarding enquiry" in page
        assert f"{due_on:%a} {due_on.day} {due_on:%b %Y}" in page
        risk_sweeps.remind_enquiries([case.record.pk], TODAY())
        messages = set(
            Notification.objects.filter(service_user=case.record, recipient=north.officer).values_list(
                "message", flat=True
            )
        )
        assert messages == {
            f"Case D900030: {kind.label.lower()} due by {due_on.day} {due_on:%B}" for kind in EnquiryKind
        }


class TestRepeatsOnTheDefaultSchedule:
    """Both checks repeat during the order: on the case's own schedule, or the rule set's default where none
    was set (local policy, 56 days, with 14 days' grace before the rating drops)."""

    def checked(self, north, crn, *, days_ago):
        case = open_case(north, crn=crn, started=150)
        case.risk("low", 148)
        for kind in EnquiryKind:
            case.enquiry(kind, requested=152, received=150)  # at court
            case.enquiry(kind, requested=days_ago, received=days_ago - 5)
        return case

    def test_within_the_interval_and_grace_is_met(self, north):
        assert self.checked(north, "D900031", days_ago=70).rating("agencies") == Rating.MET

    def test_past_the_grace_is_partly_met_and_asks_for_the_checks(self, north):
        got = self.checked(north, "D900032", days_ago=71).result("agencies")
        assert got.rating == Rating.PARTLY_MET
        assert "Request a police domestic abuse check now" in got.recommendation
        assert "request a children's services safeguarding check now" in got.recommendation

    def test_past_twice_the_interval_is_not_met(self, north):
        assert self.checked(north, "D900033", days_ago=113).rating("agencies") == Rating.NOT_MET

    def test_the_repeat_is_due_on_one_date_everywhere(self, client_for, north):
        case = self.checked(north, "D900034", days_ago=60)
        due_on = ago(60) + timedelta(days=Thresholds().default_enquiry_interval)
        due = enquiries_due_for_cases([case.record.pk], TODAY(), Thresholds())[case.record.pk]
        assert {kind: item.due_on for kind, item in due.items()} == {kind: due_on for kind in EnquiryKind.values}
        page = client_for(north.officer).get(f"/cases/{case.record.crn}/risk/").content.decode()
        assert f"{due_on.day} {due_on:%B %Y}" in page


class TestHomeVisits:
    def test_low_rosh_without_a_home_visit_after_12_weeks_is_not_met(self, north):
        case = open_case(north, crn="D900018", started=85)
        case.risk("low", 83)
        got = case.result("home_visits")
        assert got.rating == Rating.NOT_MET and got.recommendation.startswith("Arrange the first home visit")

    def test_a_doorstep_contact_is_not_a_home_visit(self, north):
        case = open_case(north, crn="D900019", started=85)
        case.risk("low", 83)
        case.seen(40, kind=ContactType.CODC)
        assert case.rating("home_visits") == Rating.NOT_MET

    def test_high_rosh_needs_a_visit_within_15_days(self, north):
        inside = open_case(north, crn="D900020", started=15)
        inside.risk("high", 14)
        assert inside.rating("home_visits") == Rating.PARTLY_MET
        late = open_case(north, crn="D900021", started=16)
        late.risk("high", 14)
        assert late.rating("home_visits") == Rating.NOT_MET
        late.seen(2, kind=ContactType.CHVS)
        assert late.rating("home_visits") == Rating.MET

    def test_medium_rosh_after_six_weeks_is_not_met(self, north):
        case = open_case(north, crn="D900022", started=43)
        case.risk("medium", 40)
        assert case.rating("home_visits") == Rating.NOT_MET


class TestThresholdsSayWhereTheyComeFrom:
    def test_rule_set_page_names_each_source(self, client_for, north):
        page = client_for(north.officer).get("/keeping-people-safe/rule-set/").content.decode()
        assert "HMPPS Home Visits Policy Framework" in page
        assert page.count(">Local</strong>") >= 10
        assert '"Partly met" is a local extension' in page

    def test_case_page_explains_partly_met_and_local_numbers(self, client_for, north, michelle):
        page = client_for(north.officer).get(f"/cases/{michelle.record.crn}/").content.decode()
        assert "is a local extension" in page and "How ratings are worked out" in page


class TestOneWayToRecordAnEnquiry:
    def test_the_contact_log_sends_checks_to_the_enquiry_form(self, client_for, north, michelle):
        page = client_for(north.officer).get(f"/cases/{michelle.record.crn}/contacts/new/").content.decode()
        assert "Police domestic abuse enquiry requested" not in page
        assert "services check as an enquiry (Risk, then Record an enquiry request)" in page

    def test_the_contact_service_refuses_an_enquiry_code(self, north, michelle):
        with pytest.raises(CaseworkError, match="as an enquiry"):
            michelle.spoke_to(1, ContactType.C369)

    def test_an_enquiry_request_is_in_the_contact_log_and_counts(self, north):
        case = open_case(north, crn="D900025", started=20)
        case.risk("low", 18)
        case.enquiry(EnquiryKind.DOMESTIC_ABUSE, requested=15, received=10)
        case.enquiry(EnquiryKind.SAFEGUARDING, requested=15, received=9)
        codes = set(case.record.contacts.values_list("contact_type", flat=True))
        assert {ContactType.C369, ContactType.C515, ContactType.SFGC, ContactType.SFRR} <= codes
        assert case.rating("agencies") == Rating.MET


class TestNoAnswerIsAnOutcome:
    @pytest.fixture
    def unanswered(self, north):
        case = michelle_like(north, crn="D900026", started=98)
        enquiry = case.enquiry(EnquiryKind.DOMESTIC_ABUSE, requested=20, received=None)  # due 10 days ago
        return case, enquiry

    def test_an_unanswered_enquiry_counts_against_the_case(self, unanswered):
        case, _ = unanswered
        got = case.result("agencies")
        assert got.rating == Rating.PARTLY_MET and "1 response(s) overdue" in " ".join(got.evidence)

    def test_closing_as_no_response_needs_a_chase_first(self, unanswered):
        case, enquiry = unanswered
        with pytest.raises(CaseworkError, match="Chase the response"):
            risk.enquiry_response_record(
                actor=case.staff.officer,
                enquiry=enquiry,
                received_on=None,
                result=EnquiryResult.NO_RESPONSE,
                summary="",
            )
        enquiry.refresh_from_db()
        assert enquiry.result == EnquiryResult.PENDING

    def test_chased_then_closed_it_no_longer_stays_overdue(self, client_for, unanswered):
        case, enquiry = unanswered
        client = client_for(case.staff.officer)
        from tests.casework.test_forms import date_fields

        response = client.post(
            f"/cases/{case.record.crn}/risk/enquiries/{enquiry.pk}/chase/",
            {**date_fields("chased_on", ago(2)), "notes": "Emailed the DA unit"},
        )
        assert response.status_code == 302
        assert case.record.contacts.filter(notes__startswith="Chased the police").exists()
        risk.enquiry_response_record(
            actor=case.staff.officer, enquiry=enquiry, received_on=None, result=EnquiryResult.NO_RESPONSE, summary=""
        )
        got = case.result("agencies")
        assert got.rating == Rating.MET and "overdue" not in " ".join(got.evidence)

    def test_a_chase_before_the_request_is_refused(self, client_for, unanswered):
        case, enquiry = unanswered
        from tests.casework.test_forms import date_fields, error_summary

        response = client_for(case.staff.officer).post(
            f"/cases/{case.record.crn}/risk/enquiries/{enquiry.pk}/chase/", date_fields("chased_on", ago(25))
        )
        assert "The enquiry cannot be chased before it was requested" in " ".join(error_summary(response))
        enquiry.refresh_from_db()
        assert enquiry.last_chased_on is None


def test_a_new_risk_record_says_what_changed_on_the_timeline(north):
    case = open_case(north, crn="D900027", started=30)
    case.risk("low", 28)
    case.risk("medium", 1, flags={"domestic_abuse_perpetrator"})
    event = case.record.events.filter(summary__startswith="Risk record updated").latest("occurred_at")
    changes = {change["field"]: (change["from"], change["to"]) for change in event.changes}
    assert changes["RoSH level"] == ("Low", "Medium")
    assert changes["Domestic abuse perpetrator"] == ("No", "Yes")


class TestChangesCallForChecksAgain:
    def test_a_new_relationship_makes_both_checks_due_again(self, client_for, north, michelle):
        from tests.casework.test_forms import date_fields

        client = client_for(north.officer)
        response = client.post(
            f"/cases/{michelle.record.crn}/risk/changes/new/",
            {"trigger": "relationship", **date_fields("noticed_on", ago(8)), "notes": "Told me at the office"},
        )
        assert response.status_code == 302
        got = michelle.result("agencies")
        assert got.rating == Rating.NOT_MET  # learned of 8 days ago, checks not made
        assert got.recommendation.startswith("Request the police domestic abuse check again")
        # The same due date on the risk page and in "What's due": the day the change was learned of.
        due_on = ago(8)
        risk_page = client.get(f"/cases/{michelle.record.crn}/risk/").content.decode()
        assert f"Next police domestic abuse call-out enquiry due {due_on:%A} {due_on.day} {due_on:%B %Y}" in risk_page
        due_page = client.get("/due/").content.decode()
        assert f"{due_on:%a} {due_on.day} {due_on:%b %Y}" in due_page
        # Once both checks are asked for again, the change is answered.
        michelle.enquiry(EnquiryKind.DOMESTIC_ABUSE, requested=1, received=0)
        michelle.enquiry(EnquiryKind.SAFEGUARDING, requested=1, received=0)
        assert michelle.rating("agencies") == Rating.MET

    def test_a_change_on_a_case_without_a_schedule_is_still_due(self, north):
        case = open_case(north, crn="D900028", started=40)
        case.risk("low", 38)
        case.enquiry(EnquiryKind.DOMESTIC_ABUSE, requested=42, received=40)
        case.enquiry(EnquiryKind.SAFEGUARDING, requested=42, received=40)
        risk.check_trigger_record(actor=north.officer, case=case.record, trigger="address", noticed_on=ago(1))
        due = enquiries_due_for_cases([case.record.pk], TODAY(), Thresholds())[case.record.pk]
        assert {kind: item.due_on for kind, item in due.items()} == {
            EnquiryKind.DOMESTIC_ABUSE: ago(1),
            EnquiryKind.SAFEGUARDING: ago(1),
        }
        assert case.rating("agencies") == Rating.PARTLY_MET  # within the days allowed to make the checks

    def test_a_change_in_the_future_is_refused(self, north, michelle):
        with pytest.raises(CaseworkError, match="today or in the past"):
            risk.check_trigger_record(
                actor=north.officer, case=michelle.record, trigger="children", noticed_on=TODAY() + timedelta(days=1)
            )
