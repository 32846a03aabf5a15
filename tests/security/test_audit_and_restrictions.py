"""Who saw what, and limited-access cases that leak nowhere."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.constants import AuditAction, NotificationKind, RestrictionKind
from casework.models import AccessRestriction, AuditEvent, Notification, ServiceUser
from contacts import sweeps
from contacts.constants import Outcome
from tests import factories


class TestAudit:
    def test_views_and_changes_are_recorded(self, client_for, north, north_case):
        client = client_for(north.officer)
        client.get(f"/cases/{north_case.case.crn}/contacts/", REMOTE_ADDR="10.1.2.3")
        client.post(
            f"/cases/{north_case.case.crn}/key-individuals/new/",
            {"full_name": "Carol", "relationship": "parent", "involve": "on"},
        )
        rows = list(AuditEvent.objects.filter(user=north.officer).order_by("occurred_at", "id"))
        assert [(r.action, r.page) for r in rows] == [
            (AuditAction.VIEW, "contacts:log"),
            (AuditAction.CHANGE, "casework:key_individual_create"),
        ]
        assert rows[0].service_user == north_case.case and rows[0].ip_address == "10.1.2.3"

    @pytest.mark.django_db(transaction=True)
    def test_a_change_is_recorded_once_in_the_transaction_that_saves_it(self, client_for, north, north_case):
        # Committed together: a crash between the two cannot leave a change no row records.
        from django.db import connection

        from tests.core.test_once_only import token_from

        client = client_for(north.officer)
        url = f"/cases/{north_case.case.crn}/key-individuals/new/"
        posted = {"full_name": "Carol", "relationship": "parent", "submission_token": token_from(client, url)}
        written = []

        def note_audit_rows(execute, sql, params, many, context):
            if "casework_auditevent" in sql and sql.lstrip().upper().startswith(("INSERT", "SET LOCAL")):
                written.append(connection.in_atomic_block)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note_audit_rows):
            assert client.post(url, posted).status_code == 302
            client.get(f"/cases/{north_case.case.crn}/people/")
        assert written == [True, False]  # the change with the key individual; the view after it on its own
        rows = AuditEvent.objects.filter(user=north.officer, page="casework:key_individual_create")
        assert sorted(r.action for r in rows) == [AuditAction.CHANGE, AuditAction.VIEW]  # the form, then the save

    def test_refused_pages_are_not_recorded_as_views(self, client_for, south, north_case):
        client_for(south.officer).get(f"/cases/{north_case.case.crn}/")
        assert not AuditEvent.objects.exists()

    def test_audit_is_append_only(self, north, north_case):
        event = AuditEvent.objects.create(
            user=north.officer, service_user=north_case.case, action=AuditAction.VIEW, page="x", path="/x"
        )
        with pytest.raises(TypeError):
            event.save()
        with pytest.raises(TypeError):
            event.delete()
        with pytest.raises(TypeError):
            AuditEvent.objects.all().update(path="/y")
        with pytest.raises(TypeError):
            AuditEvent.objects.all().delete()

    def test_audit_cannot_be_changed_in_admin(self, admin_client, north, north_case):
        event = AuditEvent.objects.create(
            user=north.officer, service_user=north_case.case, action=AuditAction.VIEW, page="x", path="/x"
        )
        assert admin_client.post(f"/admin/casework/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_admin_searches_and_exports(self, client_for, admin_user, north, north_case, south_case):
        client_for(north.officer).get(f"/cases/{north_case.case.crn}/")
        admin = client_for(admin_user)
        page = admin.get("/audit/", {"crn": north_case.case.crn.lower(), "username": north.officer.username})
        assert [e.service_user for e in page.context["page"]] == [north_case.case]
        export = admin.get("/audit.csv", {"crn": north_case.case.crn})
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert rows[0] == ["When", "User", "Action", "CRN", "Page", "Path", "IP address"]
        assert rows[1][1:4] == [north.officer.username, "Viewed", north_case.case.crn]
        assert AuditEvent.objects.filter(user=admin_user, action=AuditAction.EXPORT).exists()

    def test_audit_pages_are_for_admins(self, client_for, north):
        assert client_for(north.manager).get("/audit/").status_code == 403
        assert client_for(north.officer).get("/audit.csv").status_code == 403

    def test_case_shows_who_viewed_it_to_its_manager_only(self, client_for, north, north_case):
        client_for(north.officer).get(f"/cases/{north_case.case.crn}/")
        page = client_for(north.manager).get(f"/cases/{north_case.case.crn}/audit/").content.decode()
        assert str(north.officer) in page and "Viewed" in page
        assert client_for(north.officer).get(f"/cases/{north_case.case.crn}/audit/").status_code == 403


@pytest.fixture
def colleague(north):
    """A member of the team who knows the service user personally."""
    return factories.UserFactory(username="colleague", teams=[north.team])


@pytest.fixture
def excluded(north, north_case, colleague):
    AccessRestriction.objects.create(
        service_user=north_case.case,
        user=colleague,
        kind=RestrictionKind.EXCLUDED,
        reason="Knows the family",
        set_by=north.manager,
    )
    return north_case


class TestRestrictedCases:
    def test_excluded_person_gets_a_restricted_page_without_personal_details(self, client_for, colleague, excluded):
        # Names that cannot turn up in the page's own words (a random "Cook" is in "Cookies" in the footer).
        ServiceUser.objects.filter(pk=excluded.case.pk).update(first_name="Zelphine", last_name="Quartermaine")
        response = client_for(colleague).get(f"/cases/{excluded.case.crn}/")
        assert response.status_code == 403
        html = response.content.decode()
        assert "restricted access" in html
        assert "Quartermaine" not in html and "Zelphine" not in html
        assert AuditEvent.objects.get(user=colleague).action == AuditAction.DENIED

    def test_not_in_lists_or_search(self, client_for, colleague, excluded):
        client = client_for(colleague)
        for params in (
            {"scope": "team"},
            {"scope": "team", "q": excluded.case.crn},
            {"scope": "team", "q": excluded.case.last_name},
        ):
            response = client.get("/cases/", params)
            assert excluded.case not in response.context["page"].object_list
            assert f'href="/cases/{excluded.case.crn}/"' not in response.content.decode()
            assert response.context["page"].paginator.count == 0 or params.get("q") is None

    def test_not_in_counts_dashboard_or_exports(self, client_for, north, colleague, excluded):
        colleague.role, colleague.grade = "line_manager", ""
        colleague.save()
        colleague.managed_teams.add(north.team)
        client = client_for(colleague)
        team = client.get("/keeping-people-safe/")
        assert excluded.case.crn not in team.content.decode()
        assert all(case != excluded.case for case, _ in team.context["rows"])
        assert excluded.case.crn not in client.get("/keeping-people-safe.csv").getvalue().decode()
        assert excluded.case.crn not in client.get("/due/").content.decode()
        assert excluded.case.crn not in client.get("/approvals/").content.decode()
        assert excluded.case.crn not in client.get("/allocations/").content.decode()

    def test_no_notifications_or_email_about_it(self, north, colleague, excluded):
        colleague.role, colleague.grade = "line_manager", ""
        colleague.save()
        colleague.managed_teams.add(north.team)
        factories.ContactPlanFactory(service_user=excluded.case, frequency_days=7)
        factories.ContactFactory(
            service_user=excluded.case,
            officer=north.officer,
            outcome=Outcome.ATTC,
            starts_at=timezone.now() - timedelta(days=40),
        )
        sweeps.remind_contacts([excluded.case.pk], timezone.localdate())
        assert Notification.objects.filter(recipient=north.manager, kind=NotificationKind.CONTACT_OVERDUE).exists()
        assert not Notification.objects.filter(recipient=colleague).exists()

    def test_allocation_never_offers_an_excluded_officer(self, client_for, north, colleague, excluded):
        from allocation.models import OfficerProfile

        OfficerProfile.objects.create(user=colleague, experience_years=5)
        view = client_for(north.manager).get(f"/cases/{excluded.case.crn}/allocate/").context["view"]
        assert colleague.pk not in [r.candidate.id for r in view.ranked]
        reasons = {e.candidate.id: e.reasons for e in view.excluded}
        assert "excluded from this case (restricted access)" in reasons[colleague.pk]

    def test_allowed_list_keeps_everyone_else_out(self, client_for, north, north_case, colleague):
        client = client_for(north.manager)
        response = client.post(
            f"/cases/{north_case.case.crn}/access/",
            {"user": north.officer.pk, "kind": RestrictionKind.ALLOWED, "reason": "Public figure"},
        )
        assert response.status_code == 302
        allowed = set(
            AccessRestriction.objects.filter(service_user=north_case.case, kind=RestrictionKind.ALLOWED).values_list(
                "user__username", flat=True
            )
        )
        assert allowed == {north.officer.username, north.manager.username}  # the officer and who set it
        assert client_for(colleague).get(f"/cases/{north_case.case.crn}/").status_code == 403
        assert client_for(north.officer).get(f"/cases/{north_case.case.crn}/").status_code == 200
        assert "Restricted access" in client_for(north.officer).get(f"/cases/{north_case.case.crn}/").content.decode()

    def test_cannot_exclude_the_responsible_officer(self, client_for, north, north_case):
        response = client_for(north.manager).post(
            f"/cases/{north_case.case.crn}/access/",
            {"user": north.officer.pk, "kind": RestrictionKind.EXCLUDED, "reason": "x"},
        )
        assert "Reallocate the case before excluding its responsible officer" in response.context["form"].errors["user"]

    def test_only_managers_set_restrictions(self, client_for, north, north_case, colleague):
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/access/",
            {"user": colleague.pk, "kind": RestrictionKind.EXCLUDED, "reason": "x"},
        )
        assert response.status_code == 403
        assert not AccessRestriction.objects.filter(user=colleague).exists()

    def test_restrictions_are_audited(self, client_for, north, north_case, colleague):
        client_for(north.manager).post(
            f"/cases/{north_case.case.crn}/access/",
            {"user": colleague.pk, "kind": RestrictionKind.EXCLUDED, "reason": "Neighbour"},
        )
        assert north_case.case.events.filter(summary__contains="excluded from this case").exists()
        assert AuditEvent.objects.filter(user=north.manager, action=AuditAction.CHANGE, page="casework:access").exists()
