"""Letters from the record: a warning letter and a breach referral summary, filled from the record, stored as
produced (who and when), on the timeline, viewable, printable and downloadable as PDF; another team's letter is
a 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.constants import OrderType
from contacts import enforcement, letters, services
from contacts.constants import EnforcementAction, LetterKind, Outcome
from contacts.models import EnforcementWarning, Letter
from core.errors import CaseworkError
from tests import factories
from tests.contacts.test_contacts import when


@pytest.fixture
def warned(north):
    case = factories.ServiceUserFactory(
        team=north.team, responsible_officer=north.officer, crn="W000001", first_name="Dana", last_name="Reed"
    )
    factories.OrderFactory(service_user=case, order_type=OrderType.COMMUNITY_ORDER, court="Westshire MC")
    contact = services.contact_log(
        actor=north.officer,
        case=case,
        contact_type="COAP",
        starts_at=when(4),
        outcome=Outcome.UAAB,
        enforcement_action=EnforcementAction.EA02,
        warning_given_on=timezone.localdate() - timedelta(days=2),
    )
    return EnforcementWarning.objects.get(failure=contact)


def test_warning_letter_is_filled_from_the_record_with_the_statute_consequences(north, warned):
    letter = letters.warning_letter_produce(actor=north.officer, warning=warned)
    given = warned.given_on
    assert letter.kind == LetterKind.WARNING and letter.produced_by == north.officer
    assert "Dana Reed" in letter.body and "W000001" in letter.body and "community order" in letter.body
    assert f"{given.day} {given:%B %Y}" in letter.body
    assert "within the period of 12 months beginning with" in letter.body
    assert "liable to be brought back before the court" in letter.body
    assert "Sentencing Act 2020, Schedule 10, paragraph 6" in letter.body
    assert warned.service_user.events.filter(summary__startswith="Warning letter produced").exists()


def test_a_letter_is_kept_as_produced_when_the_record_changes(north, warned):
    letter = letters.warning_letter_produce(actor=north.officer, warning=warned)
    case = warned.service_user
    case.first_name = "Changed"
    case.save()
    letter.refresh_from_db()
    assert "Dana Reed" in letter.body
    with pytest.raises(TypeError):
        letter.save()


def test_no_warning_letter_for_a_warning_given_in_person(north, warned):
    EnforcementWarning.objects.filter(pk=warned.pk).update(kind="in_person")
    warned.refresh_from_db()
    with pytest.raises(CaseworkError, match="given in person"):
        letters.warning_letter_produce(actor=north.officer, warning=warned)


def test_breach_summary_lists_order_failures_warnings_and_officer(north, warned):
    case = warned.service_user
    missed = services.contact_log(
        actor=north.officer,
        case=case,
        contact_type="COAP",
        starts_at=when(1),
        outcome=Outcome.UAAB,
        enforcement_action=EnforcementAction.BRE,
    )
    breach = enforcement.breach_refer(
        actor=north.officer, contact=missed, referred_on=timezone.localdate(), reason="Failed again after warning"
    )
    letter = letters.breach_summary_produce(actor=north.officer, breach=breach)
    assert letter.breach == breach
    for expected in ("Breach referral summary", "W000001", "Community order", "Failed again after warning"):
        assert expected in letter.body
    assert letter.body.count("Unacceptable absence") == 2  # both failures on the order
    assert "Warning letter" in letter.body and str(north.officer.get_full_name()) in letter.body


def test_officer_produces_views_and_downloads_the_letter(client_for, north, warned):
    client = client_for(north.officer)
    case = warned.service_user
    detail = client.get(f"/cases/{case.crn}/contacts/{warned.failure_id}/").content.decode()
    assert "Produce the warning letter" in detail
    response = client.post(f"/cases/{case.crn}/warnings/{warned.pk}/letter/", {"submission_token": "t" * 24})
    letter = Letter.objects.get()
    assert response["Location"] == f"/cases/{case.crn}/letters/{letter.pk}/"
    # A second click of the same button produces nothing more.
    client.post(f"/cases/{case.crn}/warnings/{warned.pk}/letter/", {"submission_token": "t" * 24})
    assert Letter.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Dana Reed" in page and "Download as PDF" in page and "css/letter.css" in page
    assert letter.title in client.get(f"/cases/{case.crn}/enforcement/").content.decode()
    pdf = client.get(f"/cases/{case.crn}/letters/{letter.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf["Content-Disposition"]


def test_another_teams_letter_is_not_found(client_for, south, north, warned):
    letter = letters.warning_letter_produce(actor=north.officer, warning=warned)
    crn = warned.service_user.crn
    assert client_for(south.officer).get(f"/cases/{crn}/letters/{letter.pk}/pdf/").status_code == 404
