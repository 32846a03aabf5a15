"""Add a contact and record an outcome as a practitioner sees them: only what applies, nothing preselected,
errors in plain words and error-summary links that land on the field."""

import re
from datetime import timedelta

from django.utils import timezone

from contacts.constants import ContactType, EnforcementAction, Outcome
from contacts.models import Contact
from tests import factories
from tests.casework.test_forms import date_fields
from tests.contacts.test_contacts import contact_data, when


def page(response) -> str:
    return response.content.decode()


def summary_links(html: str) -> list[str]:
    summary = html.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


class TestAddAContact:
    def test_people_selects_sit_under_their_choice_with_a_prompt(self, client_for, north, north_case):
        html = page(client_for(north.officer).get(f"/cases/{north_case.case.crn}/contacts/new/"))
        assert "---------" not in html
        for prompt in ("Select a key individual", "Select a protected person or victim", "Select an agency"):
            assert prompt in html
        # GOV.UK conditional reveal: each select is inside the panel its radio controls.
        panel = re.search(r'id="(conditional_with_whom_\d)">\s*(.*?)</div>\s*</div>\s*</div>', html, re.S)
        assert panel and f'aria-controls="{panel.group(1)}"' in html
        assert 'name="key_individual"' in html.split('id="conditional_with_whom_2"', 1)[1].split("</select>")[0]

    def test_the_people_to_choose_from_are_this_cases_own(self, client_for, north, north_case, south_case):
        html = page(client_for(north.officer).get(f"/cases/{north_case.case.crn}/contacts/new/"))
        selects = {
            name: html.split(f'name="{name}"', 1)[1].split("</select>")[0]
            for name in ("key_individual", "protected_person", "agency")
        }
        for name, select in selects.items():
            ours, theirs = getattr(north_case, name), getattr(south_case, name)
            assert f'value="{ours.pk}"' in select and f'value="{theirs.pk}"' not in select, name
            assert select.count("<option") == 2, name  # the prompt and this case's one

    def test_outcome_and_enforcement_apply_only_to_appointments_and_failures(self, client_for, north, north_case):
        html = page(client_for(north.officer).get(f"/cases/{north_case.case.crn}/contacts/new/"))
        outcome_part = re.search(r'<div[^>]*data-app-reveal="contact_type"[^>]*data-app-reveal-values="([^"]+)"', html)
        appointments = {"COAI", "COAP", "CHVS", "COVC", "COPT", "CODC", "CUPA"}
        assert outcome_part and set(outcome_part.group(1).split()) == appointments
        assert "CTOA" not in outcome_part.group(1)  # a phone call needs no outcome
        assert re.search(r'data-app-reveal="outcome"[^>]*data-app-reveal-values="[A-Z ]*UAAB', html)
        assert re.search(r'data-app-reveal="contact_type"[^>]*data-app-reveal-values="CUPA"', html)
        assert '<optgroup label="Acceptable absence">' in html

    def test_date_defaults_to_today_and_minutes_are_styled(self, client_for, north, north_case):
        html = page(client_for(north.officer).get(f"/cases/{north_case.case.crn}/contacts/new/"))
        today = timezone.localdate()
        assert re.search(rf'name="contact_date_2"[^>]*value="{today.year}"', html) or re.search(
            rf'value="{today.year}"[^>]*name="contact_date_2"', html
        )
        minutes = re.search(r"<input[^>]*name=\"penalty_minutes\"[^>]*>", html).group(0)
        assert "govuk-input" in minutes

    def test_a_phone_call_ignores_outcome_and_enforcement_left_filled(self, client_for, north, north_case):
        client = client_for(north.officer)
        day = timezone.localdate() - timedelta(days=1)
        data = contact_data(
            day,
            contact_type=ContactType.CTOA,
            outcome=Outcome.UAAB,
            enforcement_action=EnforcementAction.EA02,
            penalty_minutes="30",
        )
        response = client.post(f"/cases/{north_case.case.crn}/contacts/new/", data)
        assert response.status_code == 302
        contact = Contact.objects.get(service_user=north_case.case, contact_type=ContactType.CTOA)
        assert (contact.outcome, contact.enforcement_action, contact.penalty_minutes) == ("", "", 0)

    def test_someone_other_than_the_service_user_ignores_the_unchosen_selects(self, client_for, north, north_case):
        client = client_for(north.officer)
        data = contact_data(
            timezone.localdate() - timedelta(days=1),
            contact_type=ContactType.CT3A,
            with_whom="agency",
            agency=north_case.agency.pk,
            key_individual=north_case.key_individual.pk,
            outcome="",
        )
        assert client.post(f"/cases/{north_case.case.crn}/contacts/new/", data).status_code == 302
        contact = Contact.objects.get(service_user=north_case.case, contact_type=ContactType.CT3A)
        assert contact.agency_id == north_case.agency.pk and contact.key_individual_id is None

    def test_a_contact_before_the_first_sentence_is_refused(self, client_for, north, north_case):
        client = client_for(north.officer)
        sentenced = north_case.order.sentence_date
        before = contact_data(sentenced - timedelta(days=3))
        response = client.post(f"/cases/{north_case.case.crn}/contacts/new/", before)
        assert "the date of the first sentence on this case" in page(response)
        year_1900 = contact_data(timezone.localdate(), **{"contact_date_2": "1900"})
        response = client.post(f"/cases/{north_case.case.crn}/contacts/new/", year_1900)
        assert "The date of the contact must be on or after 1 January 2000" in page(response)
        assert not Contact.objects.filter(service_user=north_case.case, notes__startswith="Discussed").exists()

    def test_error_summary_links_to_the_first_radio_of_a_group(self, client_for, north, north_case):
        response = client_for(north.officer).post(f"/cases/{north_case.case.crn}/contacts/new/", {})
        html = page(response)
        links = summary_links(html)
        assert "id_national_standard" in links and "id_contact_type" in links
        for target in links:
            assert f'id="{target}"' in html, f"the error summary links to #{target}, which is not on the page"
        assert re.search(r'<input[^>]*type="radio"[^>]*id="id_national_standard"', html.replace("\n", " "))

    def test_messages_are_written_for_a_person(self, client_for, north, north_case):
        data = contact_data(timezone.localdate() - timedelta(days=1), penalty_minutes="lots", contact_type="CUPA")
        html = page(client_for(north.officer).post(f"/cases/{north_case.case.crn}/contacts/new/", data))
        assert "Enter the minutes deducted as a whole number" in html
        assert "This field is required" not in html and "Enter a valid" not in html


class TestRecordAnOutcome:
    def outcome_url(self, north_case, contact):
        return f"/cases/{north_case.case.crn}/contacts/{contact.pk}/outcome/"

    def appointment(self, north_case):
        return factories.ContactFactory(
            service_user=north_case.case, contact_type=ContactType.COAP, starts_at=when(1), outcome=""
        )

    def test_outcomes_are_grouped_and_nothing_is_preselected(self, client_for, north, north_case):
        contact = self.appointment(north_case)
        html = page(client_for(north.officer).get(self.outcome_url(north_case, contact)))
        headings = re.findall(r'class="[^"]*app-radios-heading[^"]*">([^<]+)<', html)
        assert headings == ["Attended", "Acceptable absence", "Unacceptable absence", "Rescheduled"]
        assert " checked" not in html
        assert re.search(r'data-app-reveal="outcome"[^>]*data-app-reveal-values="[^"]*UAAB', html)
        assert 'name="enforcement_action"' in html.split('data-app-reveal="outcome"', 1)[1]
        assert 'id="id_outcome"' in html and 'id="id_enforcement_action"' in html

    def test_a_failure_without_enforcement_is_refused_and_nothing_saved(self, client_for, north, north_case):
        contact = self.appointment(north_case)
        response = client_for(north.officer).post(self.outcome_url(north_case, contact), {"outcome": Outcome.UAAB})
        html = page(response)
        assert "Select the enforcement action for this failure to comply" in html
        assert "#id_enforcement_action" in html
        contact.refresh_from_db()
        assert contact.outcome == ""

    def test_enforcement_left_from_a_changed_mind_is_ignored(self, client_for, north, north_case):
        contact = self.appointment(north_case)
        data = {"outcome": Outcome.ATTC, "enforcement_action": EnforcementAction.EA02}
        assert client_for(north.officer).post(self.outcome_url(north_case, contact), data).status_code == 302
        contact.refresh_from_db()
        assert (contact.outcome, contact.enforcement_action) == (Outcome.ATTC, "")


def test_dates_name_the_field_in_plain_words(client_for, north, north_case):
    data = contact_data(timezone.localdate(), **date_fields("contact_date", None))
    html = page(client_for(north.officer).post(f"/cases/{north_case.case.crn}/contacts/new/", data))
    assert "Enter the date of the contact" in html
