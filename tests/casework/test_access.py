"""Least privilege: another team's case is a 404 on every case URL, for reads and writes alike."""

import pytest

from casework.constants import AuditAction, NotificationKind, RestrictionKind
from casework.models import AccessRestriction, AuditEvent, Order, ServiceUser
from tests.admin_helpers import admin_url, case_record_admins, record_of
from tests.urls_helpers import all_routes, case_routes

CASE_ROUTES = case_routes()
ROUTE_IDS = [r.name for r in CASE_ROUTES]


def test_the_url_walk_finds_the_case_pages():
    names = set(ROUTE_IDS)
    # A guard on the walker itself: if it found nothing, every test below would pass vacuously.
    assert {"casework:case_overview", "casework:order_edit", "casework:agency_create"} <= names
    assert len(CASE_ROUTES) >= 20


@pytest.mark.parametrize("route", CASE_ROUTES, ids=ROUTE_IDS)
def test_own_team_officer_can_reach_every_case_page(route, client_for, north, north_case):
    response = client_for(north.manager).get(route.url(north_case.url_kwargs))
    assert response.status_code in (200, 405)  # 405: a POST-only action, reachable but not by GET


@pytest.mark.parametrize("route", CASE_ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_team_officer_gets_404(route, method, client_for, south, north_case):
    response = getattr(client_for(south.officer), method)(route.url(north_case.url_kwargs), {"court": "X"})
    assert response.status_code == 404


@pytest.mark.parametrize("route", CASE_ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_team_manager_gets_404(route, method, client_for, south, north_case):
    response = getattr(client_for(south.manager), method)(route.url(north_case.url_kwargs), {"court": "X"})
    assert response.status_code == 404


RECORD_ROUTES = [r for r in CASE_ROUTES if len(r.params) > 1]


@pytest.mark.parametrize("route", RECORD_ROUTES, ids=[r.name for r in RECORD_ROUTES])
def test_record_of_another_case_is_404_even_under_own_case(route, client_for, north, north_case, south_case):
    """Own CRN in the URL, but the record id belongs to another team's case."""
    kwargs = {**south_case.url_kwargs, "crn": north_case.case.crn}
    response = client_for(north.officer).post(route.url(kwargs), {"court": "Changed"})
    assert response.status_code == 404
    assert not Order.objects.filter(court="Changed").exists()


def test_other_team_case_not_in_caseload_or_search(client_for, south, north_case):
    client = client_for(south.officer)
    for search in (north_case.case.crn, north_case.case.last_name, ""):
        response = client.get("/cases/", {"scope": "team", "q": search})
        assert north_case.case not in response.context["page"].object_list
        assert f'href="/cases/{north_case.case.crn}/"' not in response.content.decode()


def test_admin_sees_every_team(client_for, admin_user, north_case, south_case):
    client = client_for(admin_user)
    for full in (north_case, south_case):
        assert client.get(f"/cases/{full.case.crn}/").status_code == 200


def test_officer_cannot_change_responsible_officer(client_for, north, north_case):
    response = client_for(north.officer).get(f"/cases/{north_case.case.crn}/allocate/")
    assert response.status_code == 403
    assert "line manager" in response.content.decode()


def test_deactivated_user_sees_nothing(client_for, north, north_case):
    client = client_for(north.officer)
    north.officer.is_active = False
    north.officer.save()
    response = client.get(f"/cases/{north_case.case.crn}/")
    assert response.status_code == 302  # signed out: back to sign in


PUBLIC = {
    "login",
    "health",
    "health_live",
    "health_ready",
    "accessibility",
    "privacy",
    "cookies",
    "feedback",
    "signed_out",
    # GOV.UK Notify's delivery receipts: no session, authenticated by the bearer token Notify is given
    # (tests/contacts/test_reminders.py checks a wrong token is refused with 401).
    "contacts:notify_callback",
}


@pytest.mark.parametrize(
    "route",
    [r for r in all_routes() if r.name not in PUBLIC and not r.name.startswith("admin:")],
    ids=lambda r: r.name,
)
def test_sign_in_required_everywhere(route, client, north, north_case):
    from allocation.models import AllocationRule, OfficerProfile
    from casework.notifications import notify

    profile = OfficerProfile.objects.create(user=north.officer)
    notify([north.officer], kind=NotificationKind.CONTACT_DUE, case=north_case.case, message="x", url="/", key="test")
    kwargs = {
        **north_case.url_kwargs,
        "rule_id": AllocationRule.objects.get(is_default=True, superseded_at__isnull=True).pk,
        "profile_id": profile.pk,
        "notification_id": north.officer.notifications.get().pk,
        "transfer_id": 1,  # signed out: refused before the transfer is looked up
    }
    url = route.url(kwargs)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/sign-in/?next="), url
    assert ServiceUser.objects.count() == 1


def test_admin_site_requires_sign_in(client, db):
    response = client.get("/admin/casework/serviceuser/")
    assert response.status_code == 302
    assert "login" in response.url or "sign-in" in response.url


CASE_RECORD_ADMINS = case_record_admins()
ADMIN_IDS = [model.__name__ for model, _ in CASE_RECORD_ADMINS]


def test_every_model_of_a_case_is_a_case_record_in_the_admin():
    # A guard on the list the tests below walk: a case model registered as configuration would escape them.
    names = set(ADMIN_IDS)
    assert {"ServiceUser", "ProtectedPerson", "AccessRestriction", "AuditEvent", "Contact", "Enquiry"} <= names
    assert {"ContactChangeRequest", "ContactAmendment", "CaseStatus", "AllocationDecision"} <= names
    assert len(CASE_RECORD_ADMINS) >= 23


@pytest.mark.parametrize(("model", "model_admin"), CASE_RECORD_ADMINS, ids=ADMIN_IDS)
@pytest.mark.parametrize("who", ["officer", "manager"])
def test_staff_who_are_not_admins_get_no_case_records_in_the_admin(
    model, model_admin, who, client_for, north, north_case
):
    record = record_of(model, model_admin, north_case)
    client = client_for(getattr(north, who))
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "change", record),
        admin_url(model, "history", record),
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, url
            assert response.url.startswith("/admin/login/?next="), url


@pytest.mark.parametrize(("model", "model_admin"), CASE_RECORD_ADMINS, ids=ADMIN_IDS)
def test_excluded_admin_gets_no_record_of_the_case_in_the_admin(model, model_admin, client_for, admin_user, north_case):
    record = record_of(model, model_admin, north_case)
    AccessRestriction.objects.create(
        service_user=north_case.case,
        user=admin_user,
        kind=RestrictionKind.EXCLUDED,
        reason="Knows them",
        set_by=north_case.restriction.set_by,
    )
    client = client_for(admin_user)
    change_url = admin_url(model, "change", record)
    listed = client.get(admin_url(model, "changelist"))
    assert listed.status_code == 200
    assert record.pk not in [shown.pk for shown in listed.context["cl"].result_list]
    assert change_url not in listed.content.decode()
    for url in (change_url, admin_url(model, "history", record)):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/", url  # as if there were no such record
    assert client.post(change_url).status_code == 403
    assert client.post(admin_url(model, "delete", record), {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=record.pk).exists()
    refused = AuditEvent.objects.filter(user=admin_user, service_user=north_case.case, action=AuditAction.DENIED)
    assert refused.filter(page=f"admin:{model._meta.app_label}_{model._meta.model_name}_change").exists()
    assert not AuditEvent.objects.filter(
        user=admin_user, service_user=north_case.case, action=AuditAction.VIEW
    ).exists()


def test_health_is_public(client, db):
    assert client.get("/health/").content == b"ok"


# The restriction rule on plain rows (case id, kind, person), without a database.
EXCLUDED, ALLOWED = RestrictionKind.EXCLUDED, RestrictionKind.ALLOWED


def test_a_named_exclusion_hides_the_case_from_that_person_only():
    from casework.selectors import hidden_by_restrictions

    rows = [(10, EXCLUDED, 1)]
    assert hidden_by_restrictions(1, is_admin=False, restrictions=rows) == {10}
    assert hidden_by_restrictions(2, is_admin=False, restrictions=rows) == set()


def test_an_allowed_list_hides_the_case_from_everyone_not_on_it():
    from casework.selectors import hidden_by_restrictions

    rows = [(10, ALLOWED, 1), (10, ALLOWED, 2), (11, EXCLUDED, 3)]
    assert hidden_by_restrictions(1, is_admin=False, restrictions=rows) == set()
    assert hidden_by_restrictions(3, is_admin=False, restrictions=rows) == {10, 11}
    assert hidden_by_restrictions(4, is_admin=False, restrictions=rows) == {10}


def test_only_a_named_exclusion_keeps_an_admin_out():
    from casework.selectors import hidden_by_restrictions

    rows = [(10, ALLOWED, 1), (11, EXCLUDED, 9)]
    assert hidden_by_restrictions(9, is_admin=True, restrictions=rows) == {11}


def test_the_signed_in_user_brings_the_same_teams_and_hidden_cases_as_reading_them_one_by_one(db):
    """casework.backends reads a user's teams and their restrictions with the user, in one statement; what it
    primes must be what visible_team_ids, managed_team_ids and hidden_case_ids read on their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.backends import CaseworkBackend
    from casework.constants import Role
    from casework.selectors import hidden_case_ids, managed_team_ids, visible_team_ids
    from tests import factories

    north, south, east = (factories.TeamFactory() for _ in range(3))
    officer = factories.UserFactory(teams=[north])
    also_listed_as_manager = factories.UserFactory(teams=[north])  # an officer's managed teams are not theirs
    also_listed_as_manager.managed_teams.add(south)
    manager = factories.UserFactory(role=Role.LINE_MANAGER, teams=[east])
    manager.managed_teams.add(north, south)
    nobody = factories.UserFactory()
    teams = {"n1": north, "n2": north, "s1": south, "e1": east}
    cases = {name: factories.ServiceUserFactory(team=team) for name, team in teams.items()}
    for case, kind, person in [
        ("n1", EXCLUDED, officer),
        ("n2", ALLOWED, manager),
        ("s1", ALLOWED, also_listed_as_manager),
        ("e1", EXCLUDED, manager),
    ]:
        AccessRestriction.objects.create(
            service_user=cases[case], kind=kind, user=person, reason="Test", set_by=manager
        )

    expected = {
        officer: ([north.pk], [], {"n1", "n2"}),
        also_listed_as_manager: ([north.pk], [], {"n2"}),
        manager: (sorted([north.pk, south.pk, east.pk]), sorted([north.pk, south.pk]), {"s1", "e1"}),
        nobody: ([], [], set()),
    }
    for user, (team_ids, managed, hidden) in expected.items():
        with CaptureQueriesContext(connection) as queries:
            signed_in = CaseworkBackend().get_user(user.pk)
            answers = visible_team_ids(signed_in), managed_team_ids(signed_in), hidden_case_ids(signed_in)
        assert len(queries) == 1  # all read with the user
        read_alone = type(user).objects.get(pk=user.pk)
        hidden_ids = sorted(cases[name].pk for name in hidden)
        assert answers == (team_ids, managed, hidden_ids), user
        assert (visible_team_ids(read_alone), managed_team_ids(read_alone), hidden_case_ids(read_alone)) == answers
