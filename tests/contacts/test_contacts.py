"""Logging contacts, arranging appointments, outcomes, enforcement and amendments, through the pages."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from casework.models import CaseEvent
from contacts.constants import ContactType, EnforcementAction, Outcome
from contacts.models import Contact, ContactAmendment
from contacts.selectors import LOCAL_TZ
from tests import factories
from tests.casework.test_forms import date_fields, error_summary


def when(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def contact_data(day: date, **overrides) -> dict:
    data = {
        "contact_type": ContactType.COAP,
        **date_fields("contact_date", day),
        "start_time": "10:00",
        "end_time": "10:45",
        "with_whom": "service_user",
        "national_standard": "True",
        "outcome": Outcome.ATTC,
        "penalty_minutes": "0",
        "notes": "Discussed the restraining order and her week.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def log_url(north_case):
    return f"/cases/{north_case.case.crn}/contacts/new/"


class TestLogContact:
    def test_logged_contact_appears_on_log_and_timeline(self, client_for, north, north_case, log_url):
        yesterday = timezone.localdate() - timedelta(days=1)
        response = client_for(north.officer).post(log_url, contact_data(yesterday))
        assert response.status_code == 302
        contact = Contact.objects.get(notes__startswith="Discussed")
        assert contact.officer == north.officer and contact.national_standard and contact.outcome == Outcome.ATTC
        assert contact.starts_at == when(1)
        page = client_for(north.officer).get(response.url).content.decode()
        assert "Contact created" in page and "Attended – complied" in page
        assert north_case.case.events.filter(summary__startswith="Contact logged").exists()

    def test_future_contact_refused(self, client_for, north, log_url):
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = client_for(north.officer).post(log_url, contact_data(tomorrow))
        assert (
            "The date and time of the contact must be in the past. To plan a future contact, arrange an appointment"
        ) in error_summary(response)
        assert not Contact.objects.filter(notes__startswith="Discussed").exists()

    def test_end_before_start_refused(self, client_for, north, log_url):
        response = client_for(north.officer).post(
            log_url, contact_data(timezone.localdate() - timedelta(days=1), end_time="09:00")
        )
        assert "The end time must be after the start time" in error_summary(response)

    def test_bad_time_explained(self, client_for, north, log_url):
        response = client_for(north.officer).post(
            log_url, contact_data(timezone.localdate() - timedelta(days=1), start_time="25:99")
        )
        assert "Enter the start time in the 24-hour format, like 14:30" in error_summary(response)

    def test_appointment_types_need_an_outcome(self, client_for, north, log_url):
        response = client_for(north.officer).post(
            log_url, contact_data(timezone.localdate() - timedelta(days=1), outcome="")
        )
        assert "Select the outcome of the contact" in error_summary(response)

    def test_national_standard_must_be_answered(self, client_for, north, log_url):
        response = client_for(north.officer).post(
            log_url, contact_data(timezone.localdate() - timedelta(days=1), national_standard="")
        )
        assert "Select yes if this contact counts towards the contact plan" in error_summary(response)

    def test_agency_contact_names_the_agency_of_this_case(self, client_for, north, north_case, south_case, log_url):
        day = timezone.localdate() - timedelta(days=1)
        data = contact_data(
            day, contact_type=ContactType.CIEA, with_whom="agency", outcome="", national_standard="False"
        )
        assert "Select the agency the contact was with" in error_summary(client_for(north.officer).post(log_url, data))
        data["agency"] = south_case.agency.pk
        assert "Select someone recorded on this case" in error_summary(client_for(north.officer).post(log_url, data))
        data["agency"] = north_case.agency.pk
        assert client_for(north.officer).post(log_url, data).status_code == 302
        assert Contact.objects.get(contact_type=ContactType.CIEA).agency == north_case.agency

    def test_failure_needs_enforcement_action(self, client_for, north, log_url):
        data = contact_data(timezone.localdate() - timedelta(days=1), outcome=Outcome.AFTC)
        response = client_for(north.officer).post(log_url, data)
        assert "Select the enforcement action for this failure to comply" in error_summary(response)
        data["enforcement_action"] = EnforcementAction.EA02
        assert client_for(north.officer).post(log_url, data).status_code == 302
        assert Contact.objects.get(outcome=Outcome.AFTC).enforcement_action == EnforcementAction.EA02


class TestWarningWithin12Months:
    def test_second_failure_must_go_to_breach(self, client_for, north, north_case):
        factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            starts_at=when(60),
            outcome=Outcome.UAAB,
            enforcement_action=EnforcementAction.EA02,
        )
        url = f"/cases/{north_case.case.crn}/contacts/{north_case.contact.pk}/outcome/"
        client = client_for(north.officer)
        assert (
            "A further failure to comply within 12 months must be referred for breach"
            in client.get(url).content.decode()
        )
        response = client.post(url, {"outcome": Outcome.UAAB, "enforcement_action": EnforcementAction.EA02})
        message = " ".join(error_summary(response))
        assert "A further failure within 12 months must be referred for breach" in message
        assert "Sentencing Act 2020, Schedule 10, paragraph 6" in message
        north_case.contact.refresh_from_db()
        assert north_case.contact.outcome == ""
        response = client.post(url, {"outcome": Outcome.UAAB, "enforcement_action": EnforcementAction.BRE})
        assert response.status_code == 302
        summary = client.get(f"/cases/{north_case.case.crn}/contacts/").content.decode()
        assert "Breach requested" in summary and "2 in the last 12 months" in summary

    def test_warning_more_than_12_months_ago_allows_a_new_warning(self, client_for, north, north_case):
        factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            starts_at=when(400),
            outcome=Outcome.UAAB,
            enforcement_action=EnforcementAction.EA02,
        )
        url = f"/cases/{north_case.case.crn}/contacts/{north_case.contact.pk}/outcome/"
        assert "must be referred for breach" not in client_for(north.officer).get(url).content.decode()
        assert (
            client_for(north.officer)
            .post(url, {"outcome": Outcome.UAAB, "enforcement_action": EnforcementAction.EA02})
            .status_code
            == 302
        )


class TestAppointments:
    def arrange(self, client, case, **overrides):
        start = timezone.localdate() + timedelta(days=2)
        data = {
            "contact_type": ContactType.COAP,
            **date_fields("day", start),
            "start_time": "10:00",
            "end_time": "11:00",
            "repeat": "none",
            **date_fields("repeat_until", None),
            "location": "Office",
        }
        data.update(overrides)
        return client.post(f"/cases/{case.crn}/appointments/new/", data)

    def test_weekly_series_until_a_date(self, client_for, north, north_case):
        start = timezone.localdate() + timedelta(days=2)
        response = self.arrange(
            client_for(north.officer),
            north_case.case,
            repeat="7",
            **date_fields("repeat_until", start + timedelta(weeks=3)),
        )
        assert response.status_code == 302
        series = Contact.objects.filter(service_user=north_case.case, arranged=True, starts_at__gt=timezone.now())
        assert series.count() == 4
        assert len({c.series for c in series}) == 1
        assert all(timezone.localtime(c.starts_at).hour == 10 for c in series)
        page = client_for(north.officer).get(response.url).content.decode()
        assert "Arranged 4 appointments" in page and "Upcoming appointments" in page

    def test_past_appointment_refused(self, client_for, north, north_case):
        response = self.arrange(
            client_for(north.officer), north_case.case, **date_fields("day", timezone.localdate() - timedelta(days=1))
        )
        assert "The appointment must be in the future. To record a past contact, add a contact" in error_summary(
            response
        )

    def test_repeat_needs_an_end_date(self, client_for, north, north_case):
        response = self.arrange(client_for(north.officer), north_case.case, repeat="14")
        assert "Enter the date the appointments repeat until" in error_summary(response)
        assert not Contact.objects.filter(starts_at__gt=timezone.now()).exists()

    def test_end_before_start(self, client_for, north, north_case):
        response = self.arrange(client_for(north.officer), north_case.case, end_time="09:00")
        assert "The end time must be after the start time" in error_summary(response)

    def test_outcomes_to_log_lists_past_appointment(self, client_for, north, north_case):
        page = client_for(north.officer).get("/outcomes-to-log/")
        assert north_case.contact in page.context["page"].object_list

    def test_outcome_of_future_appointment_refused(self, client_for, north, north_case):
        future = factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            arranged=True,
            starts_at=timezone.now() + timedelta(days=3),
        )
        url = f"/cases/{north_case.case.crn}/contacts/{future.pk}/outcome/"
        response = client_for(north.officer).post(url, {"outcome": Outcome.ATTC})
        assert "You cannot record an outcome for an appointment that has not happened yet" in error_summary(response)
        future.refresh_from_db()
        assert future.outcome == ""


class TestUnpaidWorkHours:
    def test_attended_sessions_credit_hours(self, client_for, north, north_case):
        client = client_for(north.officer)
        for days_ago in (14, 7):
            session = factories.ContactFactory(
                service_user=north_case.case,
                officer=north.officer,
                arranged=True,
                contact_type=ContactType.CUPA,
                starts_at=when(days_ago, 9),
                ends_at=when(days_ago, 16),
                requirement=north_case.requirement,
            )
            url = f"/cases/{north_case.case.crn}/contacts/{session.pk}/outcome/"
            assert (
                client.post(url, {"outcome": Outcome.ATTC, "end_time": "16:00", "penalty_minutes": "30"}).status_code
                == 302
            )
        missed = factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            contact_type=ContactType.CUPA,
            starts_at=when(3, 9),
            ends_at=when(3, 16),
        )
        client.post(
            f"/cases/{north_case.case.crn}/contacts/{missed.pk}/outcome/",
            {"outcome": Outcome.AAME, "end_time": "", "penalty_minutes": ""},
        )
        page = client.get(f"/cases/{north_case.case.crn}/").content.decode()
        assert "80 hours ordered" in page
        assert "13 hours completed" in page  # 2 × (7 hours − 30 minutes)
        assert "67 hours remaining" in page

    def test_session_end_before_start_refused(self, client_for, north, north_case):
        session = factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            contact_type=ContactType.CUPA,
            starts_at=when(2, 9),
            ends_at=when(2, 16),
        )
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/contacts/{session.pk}/outcome/",
            {"outcome": Outcome.ATTC, "end_time": "08:00"},
        )
        assert "The session must end after it started" in error_summary(response)


class TestAmendments:
    def test_amendment_keeps_the_original_and_the_reason(self, client_for, north, north_case):
        contact = factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            outcome=Outcome.ATTC,
            notes="Seen at the office. Said she had contacted Alex.",
        )
        url = f"/cases/{north_case.case.crn}/contacts/{contact.pk}/amend/"
        response = client_for(north.manager).post(
            url,
            {
                "location": "",
                "notes": "Seen at the office. Said she had NOT contacted Alex.",
                "national_standard": "True",
                "reason": "Typing error: the word 'not' was missing",
            },
        )
        assert response.status_code == 302
        contact.refresh_from_db()
        assert contact.notes.endswith("had NOT contacted Alex.")
        amendment = ContactAmendment.objects.get(contact=contact)
        assert amendment.amended_by == north.manager
        assert amendment.changes == [
            {
                "field": "Notes",
                "from": "Seen at the office. Said she had contacted Alex.",
                "to": "Seen at the office. Said she had NOT contacted Alex.",
            }
        ]
        detail = client_for(north.officer).get(response.url).content.decode()
        assert "Said she had contacted Alex." in detail and "Typing error" in detail
        event = CaseEvent.objects.get(summary__startswith="Contact amended")
        assert {"field": "Reason", "from": "", "to": "Typing error: the word 'not' was missing"} in event.changes

    def test_amendment_needs_a_reason_and_keeps_record_unchanged(self, client_for, north, north_case):
        url = f"/cases/{north_case.case.crn}/contacts/{north_case.contact.pk}/amend/"
        response = client_for(north.officer).post(url, {"notes": "Changed", "national_standard": "True"})
        assert "Enter the reason for the amendment" in error_summary(response)
        north_case.contact.refresh_from_db()
        assert north_case.contact.notes == ""
        assert not ContactAmendment.objects.exists()

    def test_contacts_are_never_deleted(self, north_case):
        with pytest.raises(TypeError):
            north_case.contact.delete()
        with pytest.raises(TypeError):
            Contact.objects.filter(pk=north_case.contact.pk).delete()
        assert Contact.objects.filter(pk=north_case.contact.pk).exists()

    def test_no_delete_button_anywhere(self, client_for, north, north_case):
        html = client_for(north.officer).get(f"/cases/{north_case.case.crn}/contacts/{north_case.contact.pk}/")
        assert "Delete" not in html.content.decode()
