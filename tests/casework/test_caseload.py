"""The caseload list: my cases and my team's, searched, filtered, sorted and paged."""

from datetime import date

from casework.constants import OrderType
from tests import factories


def crns(response):
    return [case.crn for case in response.context["page"].object_list]


def test_my_cases_and_team_cases(client_for, north, north_case):
    colleague_case = factories.ServiceUserFactory(team=north.team, crn="N000002")
    client = client_for(north.officer)
    assert crns(client.get("/cases/")) == [north_case.case.crn]
    assert sorted(crns(client.get("/cases/", {"scope": "team"}))) == sorted([north_case.case.crn, colleague_case.crn])


def test_search_by_name_or_crn(client_for, north):
    factories.ServiceUserFactory(team=north.team, crn="N100001", first_name="Michelle", last_name="Dawson")
    factories.ServiceUserFactory(team=north.team, crn="N100002", first_name="Aaron", last_name="Baker")
    client = client_for(north.manager)
    assert crns(client.get("/cases/", {"scope": "team", "q": "michelle daw"})) == ["N100001"]
    assert crns(client.get("/cases/", {"scope": "team", "q": "n100002"})) == ["N100002"]
    empty = client.get("/cases/", {"scope": "team", "q": "Nobody"})
    assert crns(empty) == [] and "Improve your results by" in empty.content.decode()


def test_filter_by_sentence_type(client_for, north):
    licence = factories.OrderFactory(service_user__team=north.team, order_type=OrderType.LICENCE)
    factories.OrderFactory(service_user__team=north.team, order_type=OrderType.COMMUNITY_ORDER)
    response = client_for(north.manager).get("/cases/", {"scope": "team", "order_type": "LIC"})
    assert crns(response) == [licence.service_user.crn]


def test_sort_by_date_of_birth_both_ways(client_for, north):
    older = factories.ServiceUserFactory(team=north.team, date_of_birth=date(1970, 1, 1))
    younger = factories.ServiceUserFactory(team=north.team, date_of_birth=date(2000, 1, 1))
    client = client_for(north.manager)
    assert crns(client.get("/cases/", {"scope": "team", "sort": "dob"})) == [older.crn, younger.crn]
    response = client.get("/cases/", {"scope": "team", "sort": "-dob"})
    assert crns(response) == [younger.crn, older.crn]
    assert 'aria-sort="descending"' in response.content.decode()


def test_pages_of_25(client_for, north):
    factories.ServiceUserFactory.create_batch(30, team=north.team)
    client = client_for(north.manager)
    first = client.get("/cases/", {"scope": "team"})
    assert len(crns(first)) == 25
    assert "Showing 1 to 25 of 30 cases" in first.content.decode()
    assert len(crns(client.get("/cases/", {"scope": "team", "page": 2}))) == 5


def test_caseload_query_count_does_not_grow_with_rows(client_for, north):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(north.manager)

    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/cases/", {"scope": "team"})
        assert response.status_code == 200
        return len(captured), response

    for _ in range(2):
        factories.RequirementFactory(order__service_user__team=north.team)
    queries_for_page()  # the first page after signing in renews the session
    few, _ = queries_for_page()
    for _ in range(20):
        factories.RequirementFactory(order__service_user__team=north.team)
    many, response = queries_for_page()
    assert many == few
    assert len(crns(response)) == 22
    assert "Unpaid work: 80 hours" in response.content.decode()


def test_unallocated_case_is_tagged(client_for, north):
    factories.ServiceUserFactory(team=north.team, responsible_officer=None)
    html = client_for(north.manager).get("/cases/", {"scope": "team"}).content.decode()
    assert "Unallocated" in html


def _tier(case, protect, change, rosh):
    from django.utils import timezone

    from risk.models import CaseTier

    CaseTier.objects.create(
        service_user=case, protect_level=protect, change_level=change, rosh_level=rosh, calculated_at=timezone.now()
    )


def test_tier_risk_next_appointment_and_contact_due_columns_sort_with_the_highest_risk_first(client_for, north):
    from datetime import timedelta

    from django.utils import timezone

    low = factories.ServiceUserFactory(team=north.team, last_name="Adams")
    high = factories.ServiceUserFactory(team=north.team, last_name="Brown")
    unscreened = factories.ServiceUserFactory(team=north.team, last_name="Clark")
    _tier(low, "D", 1, "low")
    _tier(high, "A", 2, "high")
    soon, later = timezone.now() + timedelta(days=2), timezone.now() + timedelta(days=9)
    factories.ContactFactory(service_user=low, starts_at=soon, arranged=True)
    factories.ContactFactory(service_user=high, starts_at=later, arranged=True)
    cancelled = factories.ContactFactory(service_user=unscreened, starts_at=soon, arranged=True)
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    factories.ContactPlanFactory(service_user=low, frequency_days=7, starts_on=date.today() - timedelta(days=30))
    client = client_for(north.manager)

    team = {"scope": "team"}
    assert crns(client.get("/cases/", {**team, "sort": "tier"})) == [high.crn, low.crn, unscreened.crn]
    assert crns(client.get("/cases/", {**team, "sort": "rosh"})) == [high.crn, low.crn, unscreened.crn]
    assert crns(client.get("/cases/", {**team, "sort": "-rosh"})) == [unscreened.crn, low.crn, high.crn]
    by_appointment = client.get("/cases/", {**team, "sort": "appointment"})
    assert crns(by_appointment) == [low.crn, high.crn, unscreened.crn]  # a cancelled appointment is not next
    page = by_appointment.content.decode()
    for header in ("Tier", "Risk", "Next appointment", "Contact due"):
        assert f">{header}<" in page
    local = timezone.localtime(soon)
    assert f"{local:%a} {local.day} {local:%b %Y}" in page
    assert "Overdue" in page  # weekly plan, never seen in 30 days
    assert "No contact plan" in page and "None arranged" in page


def test_the_team_filter_and_column_show_only_for_someone_in_more_than_one_team(client_for, north, north_case):
    client = client_for(north.officer)
    one_team = client.get("/cases/").content.decode()
    assert "All my teams" not in one_team and north.team.name not in one_team
    second = factories.TeamFactory(name="Second Team")
    north.officer.teams.add(second)
    factories.ServiceUserFactory(team=second, crn="S900001", responsible_officer=north.officer)
    two_teams = client.get("/cases/").content.decode()
    assert "All my teams" in two_teams
    assert f">{north.team.name}</option>" in two_teams and ">Second Team</option>" in two_teams
    assert '<th scope="col" class="govuk-table__header">Team</th>' in two_teams
