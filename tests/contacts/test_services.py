"""Contact services on plain values: the invariants hold whoever calls them (pages, demo data, sweeps)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contacts import services
from contacts.models import Contact, ContactAmendment
from core.errors import CaseworkError
from tests.contacts.test_contacts import when


def test_log_a_contact_without_a_form(north, north_case):
    contact = services.contact_log(
        actor=north.officer,
        case=north_case.case,
        contact_type="COAP",
        starts_at=when(1),
        ends_at=when(1) + timedelta(minutes=45),
        national_standard=True,
        outcome="ATTC",
    )
    assert contact.officer == north.officer and contact.outcome_recorded_by == north.officer
    assert north_case.case.events.get().summary == "Contact logged: Office appointment – Attended – complied"


def test_another_cases_agency_is_refused(north, north_case, south_case):
    with pytest.raises(CaseworkError, match="Select a record of this case"):
        services.contact_log(
            actor=north.officer,
            case=north_case.case,
            contact_type="CIEA",
            starts_at=when(1),
            with_whom="agency",
            agency=south_case.agency,
        )
    assert not Contact.objects.filter(contact_type="CIEA").exists()


def test_a_contact_in_the_future_is_refused(north, north_case):
    with pytest.raises(CaseworkError, match="Arrange it instead"):
        services.contact_log(
            actor=north.officer,
            case=north_case.case,
            contact_type="CTOA",
            starts_at=timezone.now() + timedelta(hours=1),
        )


def test_amend_without_a_form_keeps_the_original(north, north_case):
    contact = north_case.contact
    amendment = services.contact_amend(
        actor=north.manager, contact=contact, reason="Wrong room", values={"location": "Interview room 2"}
    )
    assert amendment.changes == [{"field": "Location", "from": "(blank)", "to": "Interview room 2"}]
    contact.refresh_from_db()
    assert contact.location == "Interview room 2"


def test_amend_refuses_fields_that_are_not_amendable(north, north_case):
    with pytest.raises(CaseworkError, match="cannot be amended: outcome"):
        services.contact_amend(actor=north.manager, contact=north_case.contact, reason="x", values={"outcome": "ATTC"})
    assert not ContactAmendment.objects.exists()


def test_amend_needs_a_reason(north, north_case):
    with pytest.raises(CaseworkError, match="Enter the reason"):
        services.contact_amend(actor=north.manager, contact=north_case.contact, reason=" ", values={"notes": "x"})
