"""Regression tests for what an attack on the service found (issue 13), one class per finding."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings

from casework import services as casework_services
from casework.constants import AuditAction, NotificationKind, RestrictionKind
from casework.models import AccessRestriction, AuditEvent, CaseEvent, Notification, ServiceUser
from casework.notifications import notify, send_digests
from contacts.constants import NOTES_MAX_LENGTH, ContactType, Outcome
from contacts.models import Contact, ContactAmendment
from core.csv import safe_cell
from core.errors import CaseworkError
from tests import factories
from tests.casework.test_forms import error_summary
from tests.contacts.test_contacts import contact_data, when
from tests.urls_helpers import case_routes

CREATE_ROUTES = [r for r in case_routes() if r.name.endswith(("_create", ":create", ":arrange", ":request"))]


class TestChoiceListsComeFromTheCaseAlone:
    """Finding 1: the restraining-order form listed every protected person in the system."""

    @pytest.fixture
    def other_people(self, north, south_case):
        """Names recorded on cases the north officer must never see: another team's, and a restricted case
        in their own team."""
        restricted = factories.ServiceUserFactory(team=north.team)
        AccessRestriction.objects.create(
            service_user=restricted,
            user=north.manager,
            kind=RestrictionKind.ALLOWED,
            reason="Staff member",
            set_by=north.manager,
        )
        factories.ProtectedPersonFactory(service_user=restricted, full_name="Rowan Restricted-Victim")
        factories.KeyIndividualFactory(service_user=restricted, full_name="Kit Restricted-Family")
        factories.AgencyInvolvementFactory(service_user=restricted, organisation="Restricted Refuge Trust")
        south_case.protected_person.full_name = "Sasha Southbank-Victim"
        south_case.protected_person.save()
        south_case.key_individual.full_name = "Sam Southbank-Family"
        south_case.key_individual.save()
        south_case.agency.organisation = "Southbank Refuge Trust"
        south_case.agency.save()
        return ["Rowan Restricted-Victim", "Kit Restricted-Family", "Restricted Refuge Trust"] + [
            "Sasha Southbank-Victim",
            "Sam Southbank-Family",
            "Southbank Refuge Trust",
        ]

    def test_the_walk_finds_the_forms_with_choice_lists(self):
        names = {r.name for r in CREATE_ROUTES}
        assert {"casework:restraining_order_create", "contacts:create", "risk:enquiry_create"} <= names

    @pytest.mark.parametrize("route", CREATE_ROUTES, ids=[r.name for r in CREATE_ROUTES])
    def test_no_other_case_names_on_any_new_record_form(self, route, client_for, north, north_case, other_people):
        page = client_for(north.officer).get(route.url(north_case.url_kwargs)).content.decode()
        for name in other_people:
            assert name not in page

    def test_restraining_order_form_lists_this_case_people(self, client_for, north, north_case, other_people):
        page = client_for(north.officer).get(f"/cases/{north_case.case.crn}/restraining-orders/new/").content.decode()
        assert north_case.protected_person.full_name in page


class TestCsvFormulaInjection:
    """Finding 3: a cell starting with =, +, - or @ ran as a formula in a spreadsheet."""

    @pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
    def test_formula_starts_are_escaped(self, value):
        assert safe_cell(value) == "'" + value

    @pytest.mark.parametrize("value", ["Michelle", "D320001", "", "1-2", "a=b"])
    def test_ordinary_values_are_unchanged(self, value):
        assert safe_cell(value) == value

    def test_team_csv(self, client_for, north, north_case):
        ServiceUser.objects.filter(pk=north_case.case.pk).update(first_name="=cmd|' /C calc'!A0", last_name="@x")
        export = client_for(north.manager).get("/keeping-people-safe.csv")
        rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
        names = [row[1] for row in rows[1:]]
        assert names == ["'=cmd|' /C calc'!A0 @x"]

    def test_audit_csv(self, client_for, admin_user, north, north_case):
        attacker = factories.UserFactory(username="=2+5", teams=[north.team])
        client_for(attacker).get(f"/cases/{north_case.case.crn}/")
        export = client_for(admin_user).get("/audit.csv", {"crn": north_case.case.crn})
        rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
        assert [row[1] for row in rows[1:]] == ["'=2+5"]


class TestNotificationsAfterExclusion:
    """Finding 4: notifications and digests still showed a case after the person was excluded from it."""

    @pytest.fixture
    def excluded_officer(self, north, north_case):
        colleague = factories.UserFactory(teams=[north.team], email="colleague@example.org")
        notify(
            [colleague],
            kind=NotificationKind.CONTACT_OVERDUE,
            case=north_case.case,
            message="Contact overdue for N",
            url="/x",
            key="t",
        )
        casework_services.access_restriction_add(
            actor=north.manager,
            case=north_case.case,
            user=colleague,
            kind=RestrictionKind.EXCLUDED,
            reason="Knows them",
        )
        return colleague

    def test_not_listed_or_counted(self, client_for, excluded_officer):
        client = client_for(excluded_officer)
        page = client.get("/notifications/")
        assert "Contact overdue for N" not in page.content.decode()
        assert page.context["unread_notifications"] == 0

    def test_cannot_be_opened(self, client_for, excluded_officer):
        notification = Notification.objects.get(recipient=excluded_officer)
        response = client_for(excluded_officer).post(f"/notifications/{notification.pk}/read/", {"open": "1"})
        assert response.status_code == 404

    def test_not_in_digest(self, excluded_officer, north):
        notify(
            [excluded_officer],
            kind=NotificationKind.WEEKLY_SUMMARY,
            case=None,
            message="Team meeting moved",
            url="/y",
            key="u",
        )
        send_digests()
        assert len(mail.outbox) == 1
        assert "Team meeting moved" in mail.outbox[0].body
        assert "Contact overdue for N" not in mail.outbox[0].body
        send_digests()
        assert len(mail.outbox) == 1  # the withheld one is never sent later either


class TestRefusedAccessTiedToTheCase:
    """Finding 5: a refused view of a restricted case was recorded with no case."""

    def test_refusal_in_case_audit_and_audit_search(self, client_for, north, north_case, admin_user):
        casework_services.access_restriction_add(
            actor=north.manager,
            case=north_case.case,
            user=north.manager,
            kind=RestrictionKind.ALLOWED,
            reason="Staff member",
        )
        outsider = factories.UserFactory(teams=[north.team])
        assert client_for(outsider).get(f"/cases/{north_case.case.crn}/").status_code == 403
        refusal = AuditEvent.objects.get(user=outsider)
        assert (refusal.action, refusal.service_user) == (AuditAction.DENIED, north_case.case)
        page = client_for(north.manager).get(f"/cases/{north_case.case.crn}/audit/").content.decode()
        assert "Refused access" in page and str(outsider) in page
        found = client_for(admin_user).get("/audit/", {"crn": north_case.case.crn, "username": outsider.username})
        assert [e.action for e in found.context["page"]] == [AuditAction.DENIED]


BAD_NUMBERS = ["99999999999999999999999", "9223372036854775808", "-1", "0", "abc", "1e5", "²", "%00"]


class TestHostileQueryParameters:
    """Finding 6: ?team= with a huge number was a 500. Every list filter takes any value calmly."""

    LISTS = [
        ("/cases/", ["team", "page", "sort", "order_type", "scope", "q"]),
        ("/cases/{crn}/contacts/", ["compliance", "type", "page"]),
        ("/cases/{crn}/timeline/", ["page"]),
        ("/cases/{crn}/audit/", ["page"]),
        ("/keeping-people-safe/", ["team", "sort", "page"]),
        ("/keeping-people-safe.csv", ["team", "sort"]),
        ("/due/", ["section", "page"]),
        ("/notifications/", ["page"]),
        ("/outcomes-to-log/", ["page"]),
        ("/approvals/", ["page"]),
        ("/allocations/", ["page"]),
        ("/audit/", ["page", "date_from", "date_to", "crn", "username"]),
    ]

    @pytest.mark.parametrize("url,params", LISTS, ids=[u for u, _ in LISTS])
    def test_every_filter(self, url, params, client_for, north, north_case, admin_user):
        client = client_for(admin_user if url.startswith("/audit") else north.manager)
        for param in params:
            for value in BAD_NUMBERS:
                response = client.get(url.format(crn=north_case.case.crn), {param: value})
                assert response.status_code == 200, (param, value)

    def test_huge_team_filter_shows_the_caseload_unfiltered(self, client_for, north, north_case):
        response = client_for(north.manager).get("/cases/", {"scope": "team", "team": BAD_NUMBERS[0]})
        assert north_case.case in response.context["page"].object_list


class TestNewCaseWithAnotherTeamsCrn:
    def _post(self, client, team, crn):
        from tests.casework.test_forms import date_fields

        return client.post(
            "/cases/new/",
            {
                "crn": crn,
                "team": team.pk,
                "first_name": "Ann",
                "last_name": "Other",
                **date_fields("date_of_birth", when(12000).date()),
                "gender": "F",
            },
        )

    def test_does_not_confirm_it_exists(self, client_for, north, south_case):
        response = self._post(client_for(north.officer), north.team, south_case.case.crn)
        errors = " ".join(error_summary(response))
        assert "This CRN cannot be used" in errors
        assert "already exists" not in errors and south_case.case.last_name not in response.content.decode()

    def test_own_teams_case_is_named_as_existing(self, client_for, north, north_case):
        response = self._post(client_for(north.officer), north.team, north_case.case.crn)
        assert f"A service user with CRN {north_case.case.crn} already exists" in " ".join(error_summary(response))


class TestTrustedProxies:
    """Finding 6: the audit trusted the client's own left-most X-Forwarded-For entry; lockout ignored it."""

    SPOOFED = "6.6.6.6, 203.0.113.9"  # the client wrote 6.6.6.6; our one proxy appended 203.0.113.9

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_audit_takes_the_address_our_proxy_saw(self, client_for, north, north_case):
        client_for(north.officer).get(f"/cases/{north_case.case.crn}/", HTTP_X_FORWARDED_FOR=self.SPOOFED)
        assert AuditEvent.objects.get().ip_address == "203.0.113.9"

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_without_proxies_the_header_is_ignored(self, client_for, north, north_case):
        client_for(north.officer).get(
            f"/cases/{north_case.case.crn}/", HTTP_X_FORWARDED_FOR=self.SPOOFED, REMOTE_ADDR="198.51.100.7"
        )
        assert AuditEvent.objects.get().ip_address == "198.51.100.7"

    @override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
    def test_lockout_cannot_be_dodged_by_changing_the_header(self, client, north):
        for n in range(3):
            client.post(
                "/sign-in/",
                {"username": north.officer.username, "password": "wrong"},
                HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9",
            )
        response = client.post(
            "/sign-in/",
            {"username": north.officer.username, "password": "correct-horse-battery"},
            HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.9",
        )
        assert "_auth_user_id" not in client.session
        assert response.status_code in (403, 429) or "locked" in response.content.decode().lower()

    @override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
    def test_lockout_is_per_real_client(self, client, north):
        for _ in range(3):
            client.post(
                "/sign-in/",
                {"username": north.officer.username, "password": "wrong"},
                HTTP_X_FORWARDED_FOR="203.0.113.9",
            )
        client.post(
            "/sign-in/",
            {"username": north.officer.username, "password": "correct-horse-battery"},
            HTTP_X_FORWARDED_FOR="198.51.100.20",
        )
        assert client.session.get("_auth_user_id") == str(north.officer.pk)


class TestSensitiveNotesInTheTimeline:
    def test_amendment_diff_hides_sensitive_notes(self, client_for, north, north_case):
        contact = factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            outcome=Outcome.ATTC,
            sensitive=True,
            notes="Disclosed a relapse and where the victim now lives.",
        )
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/contacts/{contact.pk}/amend/",
            {
                "notes": "Disclosed a relapse.",
                "sensitive": "on",
                "national_standard": "False",
                "reason": "Removed a detail recorded by mistake",
            },
        )
        assert response.status_code == 302
        event = CaseEvent.objects.get(summary__startswith="Contact amended")
        assert "where the victim now lives" not in str(event.changes)
        timeline = client_for(north.officer).get(f"/cases/{north_case.case.crn}/timeline/").content.decode()
        assert "where the victim now lives" not in timeline
        # The legal record keeps the original.
        assert "where the victim now lives" in str(ContactAmendment.objects.get().changes)


class TestSignedInPagesAreNotCached:
    def test_case_page_is_no_store(self, client_for, north, north_case):
        response = client_for(north.officer).get(f"/cases/{north_case.case.crn}/")
        assert "no-store" in response["Cache-Control"]

    def test_exports_are_no_store(self, client_for, north, north_case):
        assert "no-store" in client_for(north.manager).get("/keeping-people-safe.csv")["Cache-Control"]


class TestContactNotesLimit:
    def test_longest_allowed_notes_save(self, client_for, north, north_case):
        url = f"/cases/{north_case.case.crn}/contacts/new/"
        data = contact_data(when(1).date(), notes="x" * NOTES_MAX_LENGTH)
        assert client_for(north.officer).post(url, data).status_code == 302

    def test_longer_notes_refused_and_nothing_saved(self, client_for, north, north_case):
        before = Contact.objects.count()
        url = f"/cases/{north_case.case.crn}/contacts/new/"
        response = client_for(north.officer).post(url, contact_data(when(1).date(), notes="x" * (NOTES_MAX_LENGTH + 1)))
        assert "Notes must be 20,000 characters or fewer" in " ".join(error_summary(response))
        assert Contact.objects.count() == before

    def test_limit_is_explained_on_the_form(self, client_for, north, north_case):
        page = client_for(north.officer).get(f"/cases/{north_case.case.crn}/contacts/new/").content.decode()
        assert "Up to 20,000 characters" in page


class TestPenaltyMinutes:
    def _session(self, north, north_case):
        return factories.ContactFactory(
            service_user=north_case.case,
            officer=north.officer,
            arranged=True,
            contact_type=ContactType.CUPA,
            starts_at=when(2, 9),
            ends_at=when(2, 16),
            requirement=north_case.requirement,
        )

    def test_outcome_penalty_longer_than_the_session_refused(self, client_for, north, north_case):
        session = self._session(north, north_case)
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/contacts/{session.pk}/outcome/",
            {"outcome": Outcome.ATTC, "end_time": "10:00", "penalty_minutes": "61"},
        )
        assert "cannot be more than the length of the session (60 minutes)" in " ".join(error_summary(response))
        session.refresh_from_db()
        assert session.outcome == ""

    def test_whole_session_may_be_deducted(self, client_for, north, north_case):
        session = self._session(north, north_case)
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/contacts/{session.pk}/outcome/",
            {"outcome": Outcome.ATTC, "end_time": "10:00", "penalty_minutes": "60"},
        )
        assert response.status_code == 302

    def test_logged_session_penalty_checked(self, client_for, north, north_case):
        url = f"/cases/{north_case.case.crn}/contacts/new/"
        data = contact_data(when(1).date(), contact_type=ContactType.CUPA, end_time="11:00", penalty_minutes="90")
        response = client_for(north.officer).post(url, data)
        assert "cannot be more than the length of the session (60 minutes)" in " ".join(error_summary(response))

    def test_service_refuses_too(self, north, north_case):
        session = self._session(north, north_case)
        from contacts import services

        with pytest.raises(CaseworkError):
            services.contact_outcome_record(
                actor=north.officer,
                contact=session,
                outcome=Outcome.ATTC,
                ends_at=session.starts_at + timedelta(minutes=30),
                penalty_minutes=45,
            )


class TestExportsStayInsideTheTeam:
    def test_team_csv_of_another_team_gives_only_your_own(self, client_for, south, north_case, south_case):
        export = client_for(south.manager).get("/keeping-people-safe.csv", {"team": north_case.case.team_id})
        crns = [row[0] for row in csv.reader(io.StringIO(export.getvalue().decode()))][1:]
        assert crns == [south_case.case.crn]

    def test_audit_csv_is_refused_to_managers(self, client_for, north, north_case):
        assert client_for(north.manager).get("/audit.csv", {"crn": north_case.case.crn}).status_code == 403


def test_an_id_too_large_for_any_record_is_a_form_error_not_a_500(client_for, admin_user, north):
    # SQLite (the embedded default) overflowed on it inside Django's choice field: now every database says
    # what PostgreSQL always said, that it is not one of the choices.
    from casework.models import User
    from tests.admin_helpers import admin_url

    response = client_for(admin_user).post(
        admin_url(User, "change", north.officer), {"username": "x", "teams": "99999999999999999999"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
