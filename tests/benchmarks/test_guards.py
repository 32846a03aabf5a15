"""Performance guards that are not timings: query counts that do not grow, and index use on contacts and statuses."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import ServiceUser
from contacts.constants import ContactType, Outcome, PlanSource
from contacts.models import Contact
from contacts.selectors import contact_log
from core import plans
from tests import factories


def count_queries(client, url):
    # Steady state: the first view after a change stores the cases' status (risk.case_status), in one
    # INSERT on PostgreSQL but in batches of a few hundred rows on SQLite.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def cases_for(staff, prefix, n):
    """n bare cases of the staff's team, in one insert (CRNs prefix000000 on)."""
    return ServiceUser.objects.bulk_create(
        ServiceUser(
            crn=f"{prefix}{index:06d}",
            first_name="Bench",
            last_name=f"Case {index}",
            date_of_birth=date(1990, 1, 1),
            gender="M",
            team=staff.team,
            responsible_officer=staff.officer,
        )
        for index in range(n)
    )


def add_cases(team, officer, n):
    for _ in range(n):
        case = factories.ServiceUserFactory(team=team, responsible_officer=officer)
        factories.RequirementFactory(order__service_user=case)
        factories.ContactPlanFactory(service_user=case)
        factories.ContactFactory(service_user=case, officer=officer, outcome=Outcome.ATTC)


@pytest.mark.parametrize("url", ["/cases/", "/cases/?scope=team", "/keeping-people-safe/", "/due/"])
def test_queries_per_page_are_the_same_for_10_and_200_rows(client_for, north, url):
    user = north.manager if url in ("/keeping-people-safe/", "/due/", "/cases/?scope=team") else north.officer
    client = client_for(user)
    add_cases(north.team, north.officer, 10)
    few = count_queries(client, url)
    add_cases(north.team, north.officer, 190)
    assert count_queries(client, url) == few


def test_contact_log_queries_do_not_grow_with_contacts(client_for, north, north_case):
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/contacts/"
    few = count_queries(client, url)
    for _ in range(60):
        factories.ContactFactory(service_user=north_case.case, officer=north.officer, outcome=Outcome.ATTC)
    assert count_queries(client, url) == few


def test_a_contact_saved_reads_its_cases_orders_once_and_asks_nothing_before_saving(client_for, north, north_case):
    # The form is checked against the orders the contact is then filed under (one read), and the once-only token
    # is checked by its unique index when it is written, not by a read before.
    from tests.core.test_once_only import FORMS, token_from

    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/contacts/new/"
    posted = {**FORMS["contact"][2](north_case), "submission_token": token_from(client, url)}
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, posted).status_code == 302
    statements = [plans.statement_of(query["sql"], connection) for query in captured]
    assert sum('FROM "casework_order"' in sql for sql in statements) == 1
    assert [sql.split()[0] for sql in statements if "core_submissiontoken" in sql] == ["INSERT"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's (CI runs on it)")
def test_contact_queries_use_an_index_not_a_sequential_scan(north, north_case):
    cases = [factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer) for _ in range(50)]
    factories.attended_history(cases, north.officer, range(100))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact")
    queries = [
        contact_log(cases[0]),
        Contact.objects.filter(service_user=cases[0], national_standard=True, outcome__in=[Outcome.ATTC]).order_by(
            "-starts_at"
        )[:1],
    ]
    for query in queries:
        plan = query.explain()
        # The contacts table itself (contacts_contactamendment is a different, small table).
        assert not re.search(r"Seq Scan on contacts_contact\b", plan), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's (CI runs on it)")
def test_every_contacts_query_of_the_busiest_pages_uses_an_index(client_for, north, south):
    """A team's pages read the contacts of its cases only, among many other teams' contacts."""
    from contacts.models import ContactPlan

    # Other teams hold most of the contacts, as in a region: 2% of the table is this team's.
    mine, others = cases_for(north, "N", 40), cases_for(south, "S", 2000)
    now = timezone.now()
    Contact.objects.bulk_create(
        Contact(
            service_user=case,
            contact_type=ContactType.COAP,
            starts_at=now - timezone.timedelta(days=7 * week),
            officer=north.officer,
            outcome=Outcome.ATTC,
            national_standard=True,
        )
        for case in mine + others
        for week in range(20)
    )
    ContactPlan.objects.bulk_create(
        ContactPlan(service_user=case, frequency_days=7, source=PlanSource.ORDER, starts_on=date(2026, 1, 1))
        for case in mine
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    crn = mine[0].crn
    pages = [
        (north.manager, "/keeping-people-safe/"),  # first view of the day: computes every case's status
        (north.manager, "/due/"),
        (north.officer, "/due/"),
        (north.officer, f"/cases/{crn}/"),
        (north.officer, f"/cases/{crn}/contacts/"),
    ]
    checked = 0
    for user, url in pages:
        client = client_for(user)
        for _ in range(6):  # statements prepared on the server (core.plans), past the five runs before a generic plan
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        for query in captured:
            sql = plans.statement_of(query["sql"], connection)
            if sql.startswith("SELECT") and '"contacts_contact"' in sql:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN " + query["sql"])  # an EXECUTE shows the plan the server keeps
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                assert not re.search(r"Seq Scan on contacts_contact\b", plan), (url, sql, plan)
                checked += 1
    # The overview's contact summary (one statement: last seen, outcomes to record, compliance, unpaid work, the next
    # appointment); the log's count, page and summary. The team pages read stored statuses, not contacts.
    assert checked >= 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's (CI runs on it)")
def test_a_teams_pages_read_its_statuses_by_the_team_not_a_probe_per_case(client_for, north, south):
    """The team view and a manager's "What's due" read every case's stored status: one range of the statuses' team
    index (risk.models.CaseStatus.team), among many other teams' statuses."""
    from risk import case_status

    cases = cases_for(north, "N", 200) + cases_for(south, "S", 2000)
    case_status.refresh([case.pk for case in cases], timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = client_for(north.manager)
    for url in ("/keeping-people-safe/", "/due/"):
        for _ in range(6):  # past the five runs before the server keeps a generic plan
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        reads = [
            query["sql"] for query in captured if '"risk_casestatus"' in plans.statement_of(query["sql"], connection)
        ]
        assert len(reads) == 1, (url, reads)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + reads[0].split("; ", 1)[-1])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "case_status_team_idx" in plan and "risk_casestatus_pkey" not in plan, (url, plan)
