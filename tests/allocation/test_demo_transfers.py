"""The demo has a transfer for manager.north to decide, and a case whose history shows a transfer completed."""

from io import StringIO

import pytest
from django.core.management import call_command

from allocation.constants import TransferStatus
from allocation.models import CaseTransfer
from tests.casework.test_demo import sign_in


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_manager_north_has_a_transfer_to_accept(client, demo):
    waiting = CaseTransfer.objects.get(status=TransferStatus.PENDING)
    assert (waiting.from_team.code, waiting.to_team.code) == ("STH", "NTH")
    sign_in(client, "manager.north")
    cases = client.get("/cases/").content.decode()
    assert 'id="approvals-waiting"' in cases
    approvals = client.get("/approvals/").content.decode()
    assert "1 case is waiting for you to accept or decline a transfer to your team" in approvals
    allocations = client.get("/allocations/").content.decode()
    assert "Transfers waiting for your decision (1)" in allocations
    assert f'href="/allocations/transfers/{waiting.pk}/"' in allocations
    page = client.get(f"/allocations/transfers/{waiting.pk}/")
    assert page.status_code == 200 and waiting.reason in page.content.decode()


def test_a_transferred_case_shows_the_move_in_its_history(client, demo):
    done = CaseTransfer.objects.get(status=TransferStatus.ACCEPTED)
    case = done.service_user
    assert case.team.code == "NTH" and case.responsible_officer.username == "po.north"
    assert done.decided_by.username == "manager.north"
    sign_in(client, "po.north")
    timeline = client.get(f"/cases/{case.crn}/timeline/").content.decode()
    assert "Transferred from Southbank team to Northgate team" in timeline
    # The sending team no longer sees the case; its former officer is in the case's officer history.
    client.logout()
    sign_in(client, done.previous_officer.username)
    assert client.get(f"/cases/{case.crn}/").status_code == 404
