"""A form sent twice (a double click, a resend after a slow response) creates one record, and the second
submit lands where the first did."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from casework.models import KeyIndividual, ServiceUser
from contacts.constants import ContactType, Outcome
from contacts.models import Contact, ContactChangeRequest
from core.models import SubmissionToken
from risk.constants import EnquiryKind
from risk.models import Enquiry
from tests import factories
from tests.casework.test_forms import date_fields, new_case_data

TOKEN = re.compile(r'name="submission_token"\s+value="([^"]+)"')


def token_from(client, url: str) -> str:
    page = client.get(url).content.decode()
    assert 'data-prevent-double-click="true"' in page  # GOV.UK Frontend ignores the quick second click
    return TOKEN.search(page).group(1)


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


FORMS = {
    "contact": (
        "contacts/new/",
        Contact,
        lambda full: {
            "contact_type": ContactType.COAP,
            **date_fields("contact_date", yesterday()),
            "start_time": "10:00",
            "with_whom": "service_user",
            "national_standard": "True",
            "outcome": Outcome.ATTC,
            "penalty_minutes": "0",
        },
    ),
    "appointment": (
        "appointments/new/",
        Contact,
        lambda full: {
            "contact_type": ContactType.COAP,
            **date_fields("day", timezone.localdate() + timedelta(days=2)),
            "start_time": "10:00",
            "end_time": "11:00",
            "repeat": "none",
            **date_fields("repeat_until", None),
            "location": "Office",
        },
    ),
    "change request": (
        "contact-plan/request/",
        ContactChangeRequest,
        lambda full: {
            "frequency_days": "7",
            **date_fields("starts_on", timezone.localdate()),
            "reason": "See her weekly after unpaid work",
        },
    ),
    "enquiry request": (
        "risk/enquiries/new/",
        Enquiry,
        lambda full: {
            "kind": EnquiryKind.values[0],
            **date_fields("requested_on", yesterday()),
            **date_fields("response_due_on", timezone.localdate() + timedelta(days=10)),
            "agency": "",
        },
    ),
    "case record": (
        "key-individuals/new/",
        KeyIndividual,
        lambda full: {"full_name": "Carol", "relationship": "parent"},
    ),
}


@pytest.mark.parametrize("name", FORMS)
def test_a_create_form_sent_twice_creates_once(client_for, north, north_case, name):
    path, model, data = FORMS[name]
    if name == "change request":
        north_case.change_request.delete()  # one request may wait at a time; start with none
        factories.ContactPlanFactory(service_user=north_case.case, frequency_days=14)
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/{path}"
    posted = {**data(north_case), "submission_token": token_from(client, url)}
    before = model.objects.count()

    first = client.post(url, posted)
    second = client.post(url, posted, follow=True)

    assert first.status_code == 302, getattr(first, "context", {}) and first.context["form"].errors
    assert model.objects.count() == before + 1
    assert second.redirect_chain[0][0] == first.url
    assert "This was already saved. It has not been saved twice." in second.content.decode()


def test_a_resend_the_first_save_now_refuses_lands_where_the_first_did(client_for, north, north_case):
    # One request waits at a time: the resend is refused for the request its first submit sent, and is told it
    # was saved, not that a request is already waiting.
    north_case.change_request.delete()
    factories.ContactPlanFactory(service_user=north_case.case, frequency_days=14)
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/contact-plan/request/"
    path, model, data = FORMS["change request"]
    posted = {**data(north_case), "submission_token": token_from(client, url)}
    first = client.post(url, posted)
    second = client.post(url, posted, follow=True)
    assert second.redirect_chain[0][0] == first.url
    html = second.content.decode()
    assert "This was already saved. It has not been saved twice." in html and "already waiting" not in html
    assert ContactChangeRequest.objects.filter(service_user=north_case.case).count() == 1


def test_a_new_case_sent_twice_is_created_once(client_for, north):
    client = client_for(north.officer)
    data = {**new_case_data(north.team), "submission_token": token_from(client, "/cases/new/")}
    first = client.post("/cases/new/", data)
    second = client.post("/cases/new/", data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url == "/cases/X123456/"
    assert ServiceUser.objects.filter(crn="X123456").count() == 1


def test_a_refused_submit_can_be_corrected_and_sent_again_with_the_same_token(client_for, north, north_case):
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/key-individuals/new/"
    token = token_from(client, url)
    refused = client.post(url, {"relationship": "parent", "submission_token": token})
    assert refused.status_code == 200 and f'value="{token}"' in refused.content.decode()
    assert (
        client.post(url, {"full_name": "Carol", "relationship": "parent", "submission_token": token}).status_code == 302
    )
    assert KeyIndividual.objects.filter(full_name="Carol").count() == 1


def test_each_page_load_gets_its_own_token_and_another_user_cannot_reuse_one(client_for, north, south, north_case):
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/key-individuals/new/"
    assert token_from(client, url) != token_from(client, url)
    token = token_from(client, url)
    client.post(url, {"full_name": "Carol", "relationship": "parent", "submission_token": token})
    assert SubmissionToken.objects.get(token=token).user == north.officer
    assert SubmissionToken.objects.get(token=token).result_url == f"/cases/{north_case.case.crn}/people/"


def test_a_token_someone_else_used_saves_nothing_and_says_nothing_was_saved(client_for, north, north_case):
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/key-individuals/new/"
    token = token_from(client, url)
    client.post(url, {"full_name": "Carol", "relationship": "parent", "submission_token": token})
    manager = client_for(north.manager)
    response = manager.post(
        url, {"full_name": "Dave", "relationship": "parent", "submission_token": token}, follow=True
    )
    assert response.redirect_chain[0][0] == url  # back to the form: their save was undone
    assert not KeyIndividual.objects.filter(full_name="Dave").exists()
    html = response.content.decode()
    assert "Nothing was saved. Enter the details again." in html
    assert "Carol" not in html  # nor where the other person's save led


def test_tokens_are_forgotten_after_two_days(north):
    from core.tasks import dispatch_outbox

    SubmissionToken.objects.create(token="a" * 32, user=north.officer, result_url="/cases/")
    dispatch_outbox()
    assert SubmissionToken.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        dispatch_outbox()
    assert not SubmissionToken.objects.exists()


def test_the_token_is_not_part_of_what_a_form_hands_to_a_service(north_case):
    from contacts.forms import ChangeRequestForm

    token = "t" * 32
    data = {
        "frequency_days": "7",
        **date_fields("starts_on", timezone.localdate()),
        "reason": "Weekly",
        "submission_token": token,
    }
    form = ChangeRequestForm(data=data, current_frequency=14)
    assert form.is_valid(), form.errors
    assert "submission_token" not in form.cleaned_data and "submission_token" not in form.changed_data
    assert form.submission_token == token  # shown again with the page, so a resend is still recognised


def test_a_submit_whose_token_is_already_stored_is_undone_whole(client_for, north, north_case):
    # A resend and a twin sent at the same moment take the same path: the token's insert fails on its unique index
    # (a twin waits there for the first to commit) and everything the submit did is undone, its message too.
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/contacts/new/"
    token = token_from(client, url)
    SubmissionToken.objects.create(token=token, user=north.officer, result_url=f"/cases/{north_case.case.crn}/")
    before = Contact.objects.count()
    response = client.post(url, {**FORMS["contact"][2](north_case), "submission_token": token}, follow=True)
    assert Contact.objects.count() == before
    assert response.redirect_chain[0][0] == f"/cases/{north_case.case.crn}/"
    html = response.content.decode()
    assert "This was already saved. It has not been saved twice." in html and "Contact created" not in html


def test_a_step_refused_keeps_no_token_and_no_change_in_the_audit(client_for, north, north_case):
    # The contact was attended, so there is no failure to refer: the step is refused with why, nothing is saved,
    # and sending the same form again is refused again rather than called "already saved".
    from casework.constants import AuditAction
    from casework.models import AuditEvent

    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/contacts/{north_case.contact.pk}/breach/"
    posted = {**date_fields("referred_on", timezone.localdate()), "reason": "Failed", "submission_token": "r" * 32}
    north_case.contact.outcome = Outcome.ATTC
    north_case.contact.save()
    for _ in range(2):
        response = client.post(url, posted, follow=True)
        html = response.content.decode()
        assert "Only a failure to comply judged unacceptable can be referred" in html
        assert "This was already saved" not in html
    assert not SubmissionToken.objects.exists()
    assert not AuditEvent.objects.filter(service_user=north_case.case, action=AuditAction.CHANGE).exists()


def test_a_resend_adds_no_second_change_to_the_audit(client_for, north, north_case):
    from casework.constants import AuditAction
    from casework.models import AuditEvent

    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/key-individuals/new/"
    posted = {"full_name": "Carol", "relationship": "parent", "submission_token": token_from(client, url)}
    client.post(url, posted)
    client.post(url, posted)
    changes = AuditEvent.objects.filter(service_user=north_case.case, action=AuditAction.CHANGE)
    assert changes.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_at_the_same_moment_save_once_and_land_in_the_same_place():
    import threading

    from django.db import connection
    from django.test import Client

    from tests.conftest import make_full_case, make_staff

    north = make_staff("NTH")
    case = make_full_case(north, crn="N000009").case
    url = f"/cases/{case.crn}/key-individuals/new/"
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(north.officer)
    posted = {"full_name": "Carol", "relationship": "parent", "submission_token": token_from(clients[0], url)}
    barrier, landed = threading.Barrier(2), []

    def submit(client):
        try:
            barrier.wait()
            response = client.post(url, posted)
            landed.append((response.status_code, response["Location"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert KeyIndividual.objects.filter(service_user=case, full_name="Carol").count() == 1
    assert len(landed) == 2 and landed[0] == landed[1] == (302, f"/cases/{case.crn}/people/")
