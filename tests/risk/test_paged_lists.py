"""A line manager's lists over hundreds of cases: summaries first, every item one click away."""

from datetime import timedelta

from django.utils import timezone

from contacts.constants import RequestStatus
from tests import factories


def overdue_cases(team, officer, n, *, prefix="P"):
    """Cases whose weekly contact is overdue, named so they sort in order."""
    cases = []
    for index in range(n):
        case = factories.ServiceUserFactory(
            team=team, responsible_officer=officer, crn=f"{prefix}{index:06d}", last_name=f"Case{index:03d}"
        )
        factories.ContactPlanFactory(
            service_user=case, frequency_days=7, starts_on=timezone.localdate() - timedelta(days=60 + index)
        )
        cases.append(case)
    return cases


def test_whats_due_summary_shows_the_most_overdue_ten_and_links_to_all(client_for, north):
    cases = overdue_cases(north.team, north.officer, 13)
    html = client_for(north.manager).get("/due/").content.decode()
    assert "Contacts due and overdue (13)" in html
    assert "Show all 13" in html and 'href="?section=contacts"' in html
    shown = [case for case in cases if case.crn in html]
    assert len(shown) == 10
    assert cases[12].crn in html  # the plan that started longest ago is the most overdue
    assert cases[0].crn not in html


def test_whats_due_section_pages_through_every_item(client_for, north):
    cases = overdue_cases(north.team, north.officer, 53)
    client = client_for(north.manager)
    first = client.get("/due/", {"section": "contacts"}).content.decode()
    assert "Contacts due and overdue (53)" in first and "Showing 1 to 50 of 53" in first
    second = client.get("/due/", {"section": "contacts", "page": 2}).content.decode()
    assert "Showing 51 to 53 of 53" in second
    assert all(case.crn in first or case.crn in second for case in cases)
    assert "Back to everything due" in second


def test_whats_due_ignores_an_unknown_section(client_for, north):
    overdue_cases(north.team, north.officer, 2)
    html = client_for(north.manager).get("/due/", {"section": "nonsense"}).content.decode()
    assert "Contacts due and overdue (2)" in html and "Outcomes to log (0)" in html


def test_officer_sees_only_their_own_cases_in_a_section(client_for, north):
    mine = overdue_cases(north.team, north.officer, 3)
    colleague = factories.UserFactory(role="officer")
    colleague.teams.add(north.team)
    theirs = overdue_cases(north.team, colleague, 2, prefix="Q")
    html = client_for(north.officer).get("/due/", {"section": "contacts"}).content.decode()
    assert all(case.crn in html for case in mine)
    assert not any(case.crn in html for case in theirs)


def test_team_view_pages_the_cases_but_counts_them_all(client_for, north):
    cases = overdue_cases(north.team, north.officer, 55)
    client = client_for(north.manager)
    first = client.get("/keeping-people-safe/")
    assert first.context["page"].paginator.count == 55 and len(first.context["rows"]) == 50
    contact = next(count for count in first.context["counts"] if count.key == "contact")
    assert contact.applicable == 55 and contact.met == 0
    html = first.content.decode()
    assert "Cases (55)" in html and "Showing 1 to 50" in html
    second = client.get("/keeping-people-safe/", {"page": 2, "sort": "contact"}).content.decode()
    assert sum(case.crn in second for case in cases) == 5
    assert "sort=contact" in second  # the pages keep the chosen order


def test_a_request_shows_for_the_manager_at_once_and_goes_when_decided(client_for, north, north_case):
    client = client_for(north.manager)
    assert "Approvals waiting (1)" in client.get("/due/").content.decode()  # stores the case's status
    request = factories.ContactChangeRequestFactory(service_user=north_case.case, requested_by=north.officer)
    assert "Approvals waiting (2)" in client.get("/due/").content.decode()
    request.status = RequestStatus.APPROVED
    request.save()
    assert "Approvals waiting (1)" in client.get("/due/").content.decode()
    # Officers do not decide on requests, so they are not listed for them.
    assert "Approvals waiting" not in client_for(north.officer).get("/due/").content.decode()
