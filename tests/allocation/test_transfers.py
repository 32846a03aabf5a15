"""Transferring a case to another team: the request, the receiving manager's decision, and who can see what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from allocation import services
from allocation.constants import TransferStatus
from allocation.models import CaseTransfer
from casework.constants import NotificationKind
from casework.models import CaseEvent, Notification, ResponsibleOfficerAssignment
from casework.services import responsible_officer_assign
from contacts.constants import RequestStatus
from core.errors import CaseworkError
from tests import factories
from tests.casework.test_forms import error_summary


@pytest.fixture
def case(north, north_case):
    """The north case with its officer on the officer history, a future appointment and a reminder for them."""
    full = north_case.case
    full.responsible_officer = None
    full.save(update_fields=["responsible_officer"])
    responsible_officer_assign(actor=north.manager, case=full, officer=north.officer, reason="Allocated")
    factories.ContactFactory(
        service_user=full, officer=north.officer, arranged=True, starts_at=timezone.now() + timedelta(days=3)
    )
    Notification.objects.create(
        recipient=north.officer,
        service_user=full,
        kind=NotificationKind.CONTACT_DUE,
        message="Contact due",
        dedupe_key="due-north",
    )
    full.refresh_from_db()
    return full


def ask(client_for, north, south, case, reason="Moved to Southtown"):
    return client_for(north.manager).post(f"/cases/{case.crn}/transfer/", {"to_team": south.team.pk, "reason": reason})


def decide(client_for, who, transfer, decision, reason=""):
    return client_for(who).post(
        f"/allocations/transfers/{transfer.pk}/", {"decision": decision, "decline_reason": reason}
    )


def test_manager_sees_the_transfer_link_and_asks_another_team(client_for, north, south, case):
    overview = client_for(north.manager).get(f"/cases/{case.crn}/").content.decode()
    assert f'href="/cases/{case.crn}/transfer/"' in overview
    response = ask(client_for, north, south, case)
    transfer = CaseTransfer.objects.get()
    assert response.status_code == 302
    assert response.url == f"/allocations/transfers/{transfer.pk}/"
    assert (transfer.status, transfer.from_team, transfer.to_team) == (TransferStatus.PENDING, north.team, south.team)
    assert transfer.previous_officer == north.officer
    event = CaseEvent.objects.filter(service_user=case).first()
    assert "Transfer to STH team requested" in event.summary
    # The receiving manager is told, and can open the request from the notification.
    notice = Notification.objects.get(recipient=south.manager)
    assert notice.kind == NotificationKind.APPROVAL_WAITING
    assert case.crn in notice.message and notice.url == f"/allocations/transfers/{transfer.pk}/"
    page = client_for(south.manager).get("/notifications/").content.decode()
    assert case.crn in page


def test_officer_cannot_transfer(client_for, north, south, case):
    assert client_for(north.officer).get(f"/cases/{case.crn}/transfer/").status_code == 403
    response = client_for(north.officer).post(f"/cases/{case.crn}/transfer/", {"to_team": south.team.pk, "reason": "x"})
    assert response.status_code == 403
    overview = client_for(north.officer).get(f"/cases/{case.crn}/").content.decode()
    assert "Transfer this case" not in overview
    assert not CaseTransfer.objects.exists()


def test_reason_and_another_team_are_required(client_for, north, south, case):
    response = client_for(north.manager).post(f"/cases/{case.crn}/transfer/", {"to_team": south.team.pk})
    assert "Enter why the case is being transferred" in error_summary(response)
    with pytest.raises(CaseworkError, match="already with NTH team"):
        services.transfer_request(actor=north.manager, case=case, to_team=north.team, reason="Moved")
    # The form offers other teams only.
    page = client_for(north.manager).get(f"/cases/{case.crn}/transfer/")
    assert list(page.context["form"].fields["to_team"].queryset) == [south.team]
    assert not CaseTransfer.objects.exists()


def test_a_waiting_transfer_blocks_a_second(client_for, north, south, case):
    ask(client_for, north, south, case)
    third = factories.TeamFactory(code="EST", name="East team")
    with pytest.raises(CaseworkError, match="already waiting for a decision"):
        services.transfer_request(actor=north.manager, case=case, to_team=third, reason="Or east")
    page = client_for(north.manager).get(f"/cases/{case.crn}/transfer/").content.decode()
    assert "waiting for their line manager to accept or decline" in page
    assert CaseTransfer.objects.count() == 1


def test_while_waiting_the_receiving_manager_sees_the_request_but_not_the_case(client_for, north, south, case):
    ask(client_for, north, south, case)
    transfer = CaseTransfer.objects.get()
    client = client_for(south.manager)
    listing = client.get("/allocations/").content.decode()
    assert "Transfers waiting for your decision (1)" in listing
    assert f'href="/allocations/transfers/{transfer.pk}/"' in listing
    page = client.get(f"/allocations/transfers/{transfer.pk}/").content.decode()
    assert "Moved to Southtown" in page
    assert "1 future appointment" in page and "1 enquiry waiting for a response" in page
    assert "Will your team take the case?" in page
    # Least privilege: the case itself stays closed until they accept.
    assert client.get(f"/cases/{case.crn}/").status_code == 404
    assert client.get(f"/cases/{case.crn}/contacts/").status_code == 404
    # The sending team still has the case, and its manager follows the request without deciding it.
    assert client_for(north.officer).get(f"/cases/{case.crn}/").status_code == 200
    sending = client_for(north.manager).get(f"/allocations/transfers/{transfer.pk}/").content.decode()
    assert "Waiting for the receiving team" in sending and "Will your team take the case?" not in sending
    assert decide(client_for, north.manager, transfer, "accept").status_code == 403


def test_people_outside_the_two_teams_get_404(client_for, north, south, case):
    ask(client_for, north, south, case)
    transfer = CaseTransfer.objects.get()
    third = factories.TeamFactory(code="EST", name="East team")
    outsider = factories.UserFactory(role="line_manager", grade="", managed_teams=[third])
    for who in (north.officer, south.officer, outsider):
        client = client_for(who)
        assert client.get(f"/allocations/transfers/{transfer.pk}/").status_code == 404
        assert decide(client_for, who, transfer, "accept").status_code == 404
    assert CaseTransfer.objects.get().status == TransferStatus.PENDING


def test_accept_moves_the_case_and_access_follows_it(client_for, north, south, case):
    ask(client_for, north, south, case)
    transfer = CaseTransfer.objects.get()
    request = factories.ContactChangeRequestFactory(service_user=case, requested_by=north.officer)
    response = decide(client_for, south.manager, transfer, "accept")
    assert response.status_code == 302 and response.url == f"/cases/{case.crn}/allocate/"
    case.refresh_from_db()
    assert case.team == south.team and case.responsible_officer is None
    # The officer's assignment ended and stays in the history.
    ended = ResponsibleOfficerAssignment.objects.get(service_user=case, officer=north.officer)
    assert ended.ended_at is not None
    assert "Transferred from NTH team to STH team" in CaseEvent.objects.filter(service_user=case).first().summary
    # The receiving team gains the case: in the manager's unallocated list, to allocate within their team.
    assert client_for(south.manager).get(f"/cases/{case.crn}/").status_code == 200
    assert case.crn in client_for(south.manager).get("/allocations/").content.decode()
    assert client_for(south.manager).get(f"/cases/{case.crn}/allocate/").status_code == 200
    assert client_for(south.officer).get(f"/cases/{case.crn}/").status_code == 200
    # The sending team loses it.
    for who in (north.officer, north.manager):
        assert client_for(who).get(f"/cases/{case.crn}/").status_code == 404
    # Nothing open is lost: appointments and enquiries stay, and the new manager decides waiting requests.
    assert case.contacts.filter(arranged=True, starts_at__gt=timezone.now()).count() == 1
    assert case.enquiries.filter(response_received_on__isnull=True).count() == 1
    approvals = client_for(south.manager).get("/approvals/").content.decode()
    assert f"/cases/{case.crn}/contact-plan/requests/{request.pk}/" in approvals
    assert case.contact_requests.filter(status=RequestStatus.PENDING).count() == 2
    # The old officer's reminders about the case stop, and are never emailed.
    reminder = Notification.objects.get(dedupe_key="due-north")
    assert reminder.read_at is not None and reminder.emailed_at is not None
    assert "Contact due" not in client_for(north.officer).get("/notifications/").content.decode()


def test_accept_tells_the_sending_manager(client_for, north, south, case):
    ask(client_for, north, south, case)
    transfer = CaseTransfer.objects.get()
    decide(client_for, south.manager, transfer, "accept")
    notice = Notification.objects.get(recipient=north.manager, kind=NotificationKind.REQUEST_DECIDED)
    assert "STH team accepted" in notice.message and case.crn in notice.message
    # Shown though the sending manager can no longer open the case; the request page shows only the outcome.
    assert "STH team accepted" in client_for(north.manager).get("/notifications/").content.decode()
    page = client_for(north.manager).get(notice.url).content.decode()
    assert "Accepted" in page and "What moves with the case" not in page


def test_decline_needs_a_reason_and_keeps_the_case_where_it_is(client_for, north, south, case):
    ask(client_for, north, south, case)
    transfer = CaseTransfer.objects.get()
    response = decide(client_for, south.manager, transfer, "decline")
    assert "Enter why you are declining the transfer" in error_summary(response)
    assert CaseTransfer.objects.get().status == TransferStatus.PENDING
    response = decide(client_for, south.manager, transfer, "decline", reason="No capacity this month")
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED and transfer.decline_reason == "No capacity this month"
    case.refresh_from_db()
    assert case.team == north.team and case.responsible_officer == north.officer
    assert client_for(south.manager).get(f"/cases/{case.crn}/").status_code == 404
    assert client_for(north.officer).get(f"/cases/{case.crn}/").status_code == 200
    event = CaseEvent.objects.filter(service_user=case).first()
    assert "declined" in event.summary and event.changes[0]["to"] == "No capacity this month"
    notice = Notification.objects.get(recipient=north.manager, kind=NotificationKind.REQUEST_DECIDED)
    assert "declined: No capacity this month" in notice.message
    # A declined transfer no longer blocks a new one.
    assert ask(client_for, north, south, case, reason="Moved again").status_code == 302
    assert CaseTransfer.objects.filter(status=TransferStatus.PENDING).count() == 1


def test_deciding_twice_is_refused(client_for, north, south, case):
    ask(client_for, north, south, case)
    transfer = CaseTransfer.objects.get()
    decide(client_for, south.manager, transfer, "accept")
    response = decide(client_for, south.manager, transfer, "decline", reason="Changed my mind")
    assert "This transfer was already accepted" in error_summary(response)
    assert CaseTransfer.objects.get().status == TransferStatus.ACCEPTED
    assert Notification.objects.filter(recipient=north.manager, kind=NotificationKind.REQUEST_DECIDED).count() == 1
