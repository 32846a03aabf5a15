"""A transfer waiting for the receiving line manager counts in "Approvals" in the navigation, and the approvals
page leads to it, alongside the contact-change requests."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from allocation import services
from tests import factories


def badge(html: str) -> int:
    found = re.search(r'id="approvals-waiting">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_an_incoming_transfer_counts_in_approvals_for_the_receiving_manager(client_for, north, south, north_case):
    south_client = client_for(south.manager)
    assert badge(south_client.get("/cases/").content.decode()) == 0
    north_before = badge(client_for(north.manager).get("/cases/").content.decode())
    assert north_before == 1  # the full case's contact-change request

    transfer = services.transfer_request(
        actor=north.manager, case=north_case.case, to_team=south.team, reason="Moved to Southtown"
    )
    south_client = client_for(south.manager)
    assert badge(south_client.get("/cases/").content.decode()) == 1
    approvals = south_client.get("/approvals/").content.decode()
    assert "Transfers to your team" in approvals
    assert "1 case is waiting for you to accept or decline a transfer to your team" in approvals
    assert 'href="/allocations/#incoming-transfers">Accept or decline transfers</a>' in approvals
    allocations = south_client.get("/allocations/").content.decode()
    assert f'href="/allocations/transfers/{transfer.pk}/"' in allocations and north_case.case.full_name in allocations
    # The sending manager is waiting on someone else: nothing more to decide for them.
    assert badge(client_for(north.manager).get("/cases/").content.decode()) == north_before

    services.transfer_decide(actor=south.manager, transfer=transfer, accept=True)
    south_client = client_for(south.manager)
    approvals = south_client.get("/approvals/").content.decode()
    assert "Transfers to your team" not in approvals
    # The case came with its contact-change request still waiting: now the receiving manager's to decide.
    assert badge(approvals) == 1 and north_case.case.crn in approvals


def test_officers_and_other_teams_managers_see_no_transfer_in_approvals(client_for, north, south, north_case):
    third = factories.TeamFactory(code="EST", name="EST team")
    services.transfer_request(actor=north.manager, case=north_case.case, to_team=third, reason="Moved east")
    assert badge(client_for(south.manager).get("/cases/").content.decode()) == 0
    assert badge(client_for(south.officer).get("/cases/").content.decode()) == 0


def test_the_approvals_badge_takes_the_same_queries_however_many_transfers_wait(client_for, north, south):
    client = client_for(south.manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/cases/").content.decode()
        return len(captured), badge(html)

    def transfer(n):
        for _ in range(n):
            case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
            services.transfer_request(actor=north.manager, case=case, to_team=south.team, reason="Moving")

    transfer(1)
    queries()  # the first page after signing in renews the session
    few, waiting = queries()
    assert waiting == 1
    transfer(6)
    assert queries() == (few, 7)
