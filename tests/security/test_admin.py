"""The Django admin is no way round the app: case records are read-only there, limited access holds there,
every read there is in the access audit, and removing access is on the case timeline whatever the path."""

import pytest
from django.forms import MultiWidget

from casework.constants import AuditAction, RestrictionKind
from casework.models import AccessRestriction, AuditEvent, CaseEvent, ServiceUser, Team, User
from casework.services import access_restriction_remove
from contacts.constants import RequestStatus
from contacts.models import ContactChangeRequest
from risk.models import Enquiry
from tests import factories
from tests.admin_helpers import admin_url


@pytest.fixture
def excluded_admin(admin_user, north, north_case):
    """An admin who knows the north case's service user personally, so is excluded from it."""
    AccessRestriction.objects.create(
        service_user=north_case.case,
        user=admin_user,
        kind=RestrictionKind.EXCLUDED,
        reason="Knows them",
        set_by=north.manager,
    )
    return admin_user


def refused_as_not_found(response) -> bool:
    """The admin's answer for a record that does not exist: back to the admin index, saying so."""
    return response.status_code == 302 and response.url == "/admin/"


class TestLimitedAccessHoldsInTheAdmin:
    def test_excluded_case_is_not_in_lists_searches_or_lookups(
        self, client_for, excluded_admin, north_case, south_case
    ):
        client = client_for(excluded_admin)
        hidden, shown = north_case.case, south_case.case
        for params in ({}, {"q": hidden.crn}, {"q": hidden.last_name}, {"_popup": "1", "_to_field": "id"}):
            page = client.get("/admin/casework/serviceuser/", params)
            assert hidden not in page.context["cl"].result_list, params
            assert admin_url(ServiceUser, "change", hidden) not in page.content.decode(), params
        assert shown in client.get("/admin/casework/serviceuser/").context["cl"].result_list
        people = client.get("/admin/casework/protectedperson/", {"q": hidden.crn})
        assert people.context["cl"].result_count == 0
        assert north_case.protected_person.full_name not in people.content.decode()
        assert list(client.get("/admin/risk/enquiry/").context["cl"].result_list) == [south_case.enquiry]

    def test_excluded_admin_cannot_open_the_case_or_its_records(self, client_for, excluded_admin, north_case):
        client = client_for(excluded_admin)
        case, person = north_case.case, north_case.protected_person
        for url in (admin_url(ServiceUser, "change", case), admin_url(type(person), "change", person)):
            response = client.get(url)
            assert refused_as_not_found(response), url
            assert "doesn’t exist" in client.get(response.url).content.decode()
        assert client.get(admin_url(ServiceUser, "history", case)).status_code == 302
        refusals = AuditEvent.objects.filter(user=excluded_admin, action=AuditAction.DENIED)
        assert {(e.service_user, e.page) for e in refusals} >= {
            (case, "admin:casework_serviceuser_change"),
            (case, "admin:casework_protectedperson_change"),
            (case, "admin:casework_serviceuser_history"),
        }
        assert not AuditEvent.objects.filter(user=excluded_admin, service_user=case, action=AuditAction.VIEW).exists()

    def test_excluded_admin_cannot_remove_their_exclusion_in_the_admin(self, client_for, excluded_admin, north_case):
        exclusion = AccessRestriction.objects.get(user=excluded_admin)
        client = client_for(excluded_admin)
        assert client.get("/admin/casework/accessrestriction/").context["cl"].result_count == 0
        response = client.post(admin_url(AccessRestriction, "delete", exclusion), {"post": "yes"})
        assert response.status_code == 403
        assert AccessRestriction.objects.filter(pk=exclusion.pk).exists()


class TestCaseRecordsAreReadOnly:
    def test_change_request_cannot_be_approved_in_the_admin(self, client_for, admin_user, north, north_case):
        request = north_case.change_request
        response = client_for(admin_user).post(
            admin_url(ContactChangeRequest, "change", request),
            {
                "service_user": north_case.case.pk,
                "requested_by": north.officer.pk,
                "frequency_days": request.frequency_days,
                "starts_on": request.starts_on.isoformat(),
                "reason": request.reason,
                "status": RequestStatus.APPROVED,
                "decided_by": north.manager.pk,  # forged: the manager never decided it
                "decided_at_0": "2026-01-01",
                "decided_at_1": "09:00:00",
            },
        )
        assert response.status_code == 403
        request.refresh_from_db()
        assert (request.status, request.decided_by, request.decided_at) == (RequestStatus.PENDING, None, None)

    def test_enquiry_cannot_be_deleted_in_the_admin(self, client_for, admin_user, north_case):
        enquiry = north_case.enquiry
        client = client_for(admin_user)
        assert client.get(admin_url(Enquiry, "delete", enquiry)).status_code == 403
        assert client.post(admin_url(Enquiry, "delete", enquiry), {"post": "yes"}).status_code == 403
        bulk = {"action": "delete_selected", "_selected_action": [enquiry.pk], "post": "yes"}
        client.post(admin_url(Enquiry, "changelist"), bulk)
        assert Enquiry.objects.filter(pk=enquiry.pk).exists()

    def test_case_records_cannot_be_added_in_the_admin(self, client_for, admin_user, north):
        client = client_for(admin_user)
        assert client.get(admin_url(ServiceUser, "add")).status_code == 403
        data = {"crn": "X123456", "first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "gender": "F"}
        assert client.post(admin_url(ServiceUser, "add"), {**data, "team": north.team.pk}).status_code == 403
        assert not ServiceUser.objects.filter(crn="X123456").exists()

    def test_case_record_page_is_read_only(self, client_for, admin_user, north_case):
        page = client_for(admin_user).get(admin_url(Enquiry, "change", north_case.enquiry))
        assert page.status_code == 200
        assert not page.context["has_change_permission"] and not page.context["has_delete_permission"]
        assert 'name="_save"' not in page.content.decode()


class TestAdminReadsAreAudited:
    def test_opening_a_case_record_is_recorded_against_its_case(self, client_for, admin_user, north_case):
        client = client_for(admin_user)
        url = admin_url(type(north_case.protected_person), "change", north_case.protected_person)
        assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200
        event = AuditEvent.objects.get(user=admin_user)
        assert (event.action, event.service_user, event.page, event.path, event.ip_address) == (
            AuditAction.VIEW,
            north_case.case,
            "admin:casework_protectedperson_change",
            url,
            "10.1.2.3",
        )

    def test_record_reached_through_its_order_is_recorded_against_the_case(self, client_for, admin_user, north_case):
        client_for(admin_user).get(admin_url(type(north_case.requirement), "change", north_case.requirement))
        assert AuditEvent.objects.get(user=admin_user).service_user == north_case.case

    def test_a_list_is_recorded_once_with_no_case(self, client_for, admin_user, north_case):
        client_for(admin_user).get("/admin/casework/serviceuser/", {"q": north_case.case.crn})
        event = AuditEvent.objects.get(user=admin_user)
        assert (event.action, event.service_user, event.page) == (
            AuditAction.VIEW,
            None,
            "admin:casework_serviceuser_changelist",
        )


def removals(case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(service_user=case, summary__contains="no longer"))


class TestRemovingAccessIsOnTheTimeline:
    def test_removed_on_the_access_page_once(self, north, north_case):
        access_restriction_remove(actor=north.manager, restriction=north_case.restriction)
        [event] = removals(north_case.case)
        assert event.actor == north.manager
        assert event.summary == f"Access: {north_case.restriction.user} no longer excluded on this case"

    def test_removed_when_the_person_is_deleted(self, north_case):
        person = north_case.restriction.user
        person.delete()
        [event] = removals(north_case.case)
        assert event.actor is None
        assert event.summary == f"Access: {person} no longer excluded on this case (their account was deleted)"

    def test_removed_when_an_admin_deletes_the_person(self, client_for, admin_user, north_case):
        person = north_case.restriction.user
        response = client_for(admin_user).post(admin_url(User, "delete", person), {"post": "yes"})
        assert response.status_code == 302
        assert not User.objects.filter(pk=person.pk).exists()
        [event] = removals(north_case.case)
        assert event.actor == admin_user

    def test_removed_when_an_admin_deletes_people_in_bulk(self, client_for, admin_user, north, north_case):
        other = factories.UserFactory()
        AccessRestriction.objects.create(
            service_user=north_case.case,
            user=other,
            kind=RestrictionKind.EXCLUDED,
            reason="Neighbour",
            set_by=north.manager,
        )
        people = [north_case.restriction.user.pk, other.pk]
        data = {"action": "delete_selected", "_selected_action": people, "post": "yes"}
        assert client_for(admin_user).post(admin_url(User, "changelist"), data).status_code == 302
        assert not User.objects.filter(pk__in=people).exists()
        assert [e.actor for e in removals(north_case.case)] == [admin_user, admin_user]


def form_data(form) -> dict:
    """What a browser would post back for an admin form, unchanged."""
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(bound.field.widget, MultiWidget):
            parts = value if isinstance(value, list) else bound.field.widget.decompress(value)
            data.update({f"{bound.html_name}_{i}": "" if p is None else p for i, p in enumerate(parts)})
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[bound.html_name] = value
    return data


class TestConfigurationStaysEditable:
    def test_team(self, client_for, admin_user, north):
        client = client_for(admin_user)
        url = admin_url(Team, "change", north.team)
        data = {**form_data(client.get(url).context["adminform"].form), "name": "North Westshire"}
        assert client.post(url, data).status_code == 302
        north.team.refresh_from_db()
        assert north.team.name == "North Westshire"

    def test_user(self, client_for, admin_user, north, south):
        client = client_for(admin_user)
        url = admin_url(User, "change", north.officer)
        data = {**form_data(client.get(url).context["adminform"].form), "teams": [south.team.pk]}
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert list(north.officer.teams.all()) == [south.team]


def test_admin_finds_a_teams_cases_by_searching_for_the_team(client_for, admin_user, north, north_case, south_case):
    # Team is a search, not a filter listing every team in the country on every page.
    page = client_for(admin_user).get("/admin/casework/serviceuser/", {"q": north.team.code})
    found = list(page.context["cl"].result_list)
    assert north_case.case in found
    assert south_case.case not in found
