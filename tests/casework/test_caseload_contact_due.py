"""The caseload's "Contact due" column sorts the whole caseload, not just a page, by the date the column shows:
the most overdue first, cases without a contact plan last."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from casework.models import ServiceUser
from contacts.constants import Outcome
from contacts.selectors import contact_due_on_annotation, due_for_cases
from tests import factories

TODAY = date(2026, 7, 15)  # British Summer Time: a late contact in UTC is the next day locally


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 7, 15, 9, 0, tzinfo=UTC), tick=False):
        yield


def crns(response):
    return [case.crn for case in response.context["page"].object_list]


def plan(case, *, every, starts_on, ends_on=None):
    return factories.ContactPlanFactory(service_user=case, frequency_days=every, starts_on=starts_on, ends_on=ends_on)


def seen(case, at, outcome=Outcome.ATTC, **fields):
    return factories.ContactFactory(service_user=case, starts_at=at, outcome=outcome, **fields)


def test_the_sql_date_is_the_date_due_for_cases_gives(frozen, north):
    """One definition: the date the caseload sorts on (SQL) is the one the rest of the service works out."""
    team = north.team
    no_plan = factories.ServiceUserFactory(team=team)
    never_seen = factories.ServiceUserFactory(team=team)
    plan(never_seen, every=7, starts_on=date(2026, 7, 1))
    late_evening = factories.ServiceUserFactory(team=team)
    plan(late_evening, every=14, starts_on=date(2026, 6, 1))
    seen(late_evening, datetime(2026, 7, 9, 23, 30, tzinfo=UTC))  # 00:30 on 10 July in London
    seen(late_evening, datetime(2026, 7, 2, 10, 0, tzinfo=UTC))
    before_plan = factories.ServiceUserFactory(team=team)
    plan(before_plan, every=7, starts_on=date(2026, 7, 10))
    seen(before_plan, datetime(2026, 7, 5, 10, 0, tzinfo=UTC))
    not_counted = factories.ServiceUserFactory(team=team)
    plan(not_counted, every=28, starts_on=date(2026, 6, 20), ends_on=None)
    seen(not_counted, datetime(2026, 7, 1, 10, 0, tzinfo=UTC), national_standard=False)
    seen(not_counted, datetime(2026, 7, 2, 10, 0, tzinfo=UTC), outcome=Outcome.UAAB)
    seen(not_counted, datetime(2026, 7, 20, 10, 0, tzinfo=UTC), arranged=True)  # still to come
    replaced = factories.ServiceUserFactory(team=team)
    plan(replaced, every=28, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    plan(replaced, every=7, starts_on=date(2026, 7, 1))
    seen(replaced, datetime(2026, 7, 13, 8, 0, tzinfo=UTC))

    cases = [no_plan, never_seen, late_evening, before_plan, not_counted, replaced]
    in_sql = dict(
        ServiceUser.objects.filter(pk__in=[c.pk for c in cases])
        .annotate(due_on=contact_due_on_annotation())
        .values_list("pk", "due_on")
    )
    in_python = {pk: status.due_on for pk, status in due_for_cases([c.pk for c in cases], TODAY).items()}
    assert in_sql == {case.pk: in_python.get(case.pk) for case in cases}
    assert in_sql[no_plan.pk] is None
    assert in_sql[never_seen.pk] == date(2026, 7, 8)
    assert in_sql[late_evening.pk] == date(2026, 7, 24)  # the local day of the contact, not the UTC day
    assert in_sql[before_plan.pk] == date(2026, 7, 17)
    assert in_sql[not_counted.pk] == date(2026, 7, 18)
    assert in_sql[replaced.pk] == date(2026, 7, 20)


def test_sorting_by_contact_due_orders_the_whole_caseload_overdue_first(frozen, client_for, north):
    """30 cases over two pages: ascending starts with the most overdue on page one and ends with the cases without
    a plan on page two; descending puts the latest due first and still leaves the cases without a plan last."""
    due = {}
    for days in range(-3, 25):  # due from 3 days ago (overdue) to 24 days ahead
        case = factories.ServiceUserFactory(team=north.team, last_name=f"Case {days + 10:02d}")
        plan(case, every=30, starts_on=TODAY + timedelta(days=days - 30))
        due[case.crn] = TODAY + timedelta(days=days)
    without_plan = [factories.ServiceUserFactory(team=north.team, last_name=f"Aardvark {n}").crn for n in range(2)]
    client = client_for(north.manager)

    ascending = [client.get("/cases/", {"scope": "team", "sort": "due", "page": n}) for n in (1, 2)]
    order = crns(ascending[0]) + crns(ascending[1])
    assert order == sorted(due, key=due.get) + sorted(without_plan)
    first_page = ascending[0].content.decode()
    assert 'aria-sort="ascending"' in first_page and "Overdue" in first_page
    first_row = ascending[0].context["page"].object_list[0]
    assert first_row.contact_due.due_on == TODAY - timedelta(days=3) and first_row.contact_due.days_overdue == 3
    assert "No contact plan" in ascending[1].content.decode() and "Overdue" not in ascending[1].content.decode()

    descending = [client.get("/cases/", {"scope": "team", "sort": "-due", "page": n}) for n in (1, 2)]
    assert crns(descending[0]) + crns(descending[1]) == sorted(due, key=due.get, reverse=True) + sorted(without_plan)
    # The column shows the date each row was sorted by.
    for response in ascending + descending:
        for case in response.context["page"].object_list:
            assert (case.contact_due.due_on if case.contact_due else None) == due.get(case.crn)


def test_the_contact_due_header_links_to_its_sort(client_for, north):
    factories.ServiceUserFactory(team=north.team)
    page = client_for(north.manager).get("/cases/", {"scope": "team"}).content.decode()
    assert '<a class="govuk-link" href="?scope=team&amp;sort=due">Contact due</a>' in page


def test_an_unknown_sort_falls_back_to_name(client_for, north):
    b = factories.ServiceUserFactory(team=north.team, last_name="Brown")
    a = factories.ServiceUserFactory(team=north.team, last_name="Adams")
    assert crns(client_for(north.manager).get("/cases/", {"scope": "team", "sort": "due_on"})) == [a.crn, b.crn]


def test_sorted_by_due_takes_the_same_queries_for_few_and_many_rows(client_for, north):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(north.manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/cases/", {"scope": "team", "sort": "due"}).status_code == 200
        return len(captured)

    def add(n):
        for _ in range(n):
            case = factories.ServiceUserFactory(team=north.team)
            plan(case, every=7, starts_on=timezone.localdate() - timedelta(days=3))
            seen(case, timezone.now() - timedelta(days=1))

    add(2)
    queries()  # the first page after signing in renews the session
    few = queries()
    add(20)
    assert queries() == few
