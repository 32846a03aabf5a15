"""Repeated reads planned once per connection on PostgreSQL (core.plans): the same rows, fewer plans."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import ServiceUser
from core import plans
from core.prepared import prepared
from tests import factories

ON_POSTGRES = connection.vendor == "postgresql"


def prepared_on_server(fragment: str) -> int:
    if not ON_POSTGRES:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"])
        return cursor.fetchone()[0]


def named(crn, since):
    # A quote and a percent sign in the SQL's own values, a string, a datetime and a list among its parameters.
    return list(
        ServiceUser.objects.filter(crn__in=[crn, "X999999"], created_at__gte=since)
        .exclude(first_name="O'Brien 100%")
        .values_list("crn", flat=True)
    )


NAMED = 'NOT ("casework_serviceuser"."first_name" = $4)'  # in the statement the server keeps for named()


@pytest.fixture
def cases(transactional_db):
    team = factories.TeamFactory()
    factories.ServiceUserFactory(crn="N000001", team=team, first_name="Ann")
    factories.ServiceUserFactory(crn="N000002", team=team, first_name="O'Brien 100%")


def test_a_repeated_read_is_prepared_once_and_gives_the_same_rows(cases):
    since = timezone.now() - timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        answers = [named("N000001", since), named("N000002", since), named("N000001", since)]
    assert answers == [["N000001"], [], ["N000001"]]  # the fixed exclusion holds for every run
    assert len(queries) == 3  # preparing is not one of the page's queries
    if ON_POSTGRES:
        # Sent as text the first time, then run by the statement prepared on the second.
        assert [query["sql"].split()[0] for query in queries] == ["SELECT", "EXECUTE", "EXECUTE"]
        assert prepared_on_server(NAMED) == 1
    else:
        assert all(query["sql"].startswith("SELECT") for query in queries)


def test_prepared_statements_outlive_rollbacks_and_come_back_after_a_reconnect(cases):
    since = timezone.now() - timedelta(days=1)
    with transaction.atomic():  # prepared inside a transaction (in a savepoint) that then rolls back
        assert named("N000001", since) == named("N000001", since) == ["N000001"]
        transaction.set_rollback(True)
    with CaptureQueriesContext(connection) as queries:
        assert named("N000001", since) == ["N000001"]
    if ON_POSTGRES:
        assert queries[0]["sql"].startswith("EXECUTE")
        assert prepared_on_server(NAMED) == 1
    connection.close()  # a new connection (a restarted server, CONN_MAX_AGE) prepares its own
    assert named("N000001", since) == named("N000001", since) == ["N000001"]
    if ON_POSTGRES:
        assert prepared_on_server(NAMED) == 1


def test_a_read_the_server_refuses_to_prepare_runs_as_text_and_the_transaction_goes_on(cases):
    with transaction.atomic():
        with connection.cursor() as cursor:
            for _ in range(3):
                # $1 || text: the server cannot prepare it with a bigint parameter, and says so.
                cursor.execute("SELECT %s || 'x' FROM casework_serviceuser WHERE crn = 'N000001'", [7])
                assert cursor.fetchone() == ("7x",)
        assert ServiceUser.objects.filter(crn="N000001").exists()  # the transaction is still usable


def test_values_without_one_type_are_sent_as_text_and_prepared_statements_can_be_turned_off(cases, settings):
    assert plans._type(None) is None and plans._type([]) is None and plans._type([1, "a"]) is None
    assert plans._type([1, 2]) == "bigint[]" and plans._type(True) == "boolean"
    assert plans._type(timezone.now()) == "timestamptz" and plans._type(timezone.localdate()) == "date"
    settings.PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert ServiceUser.objects.filter(crn="N000002").count() == 1
    assert all(query["sql"].startswith("SELECT") for query in queries)


@prepared(generic_plan=True)
def _team_cases(team_id, named):
    return ServiceUser.objects.filter(team=team_id).exclude(first_name=named).order_by("crn")


def plan_cache_mode() -> str | None:
    if not ON_POSTGRES:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def plans_made(fragment: str) -> tuple[int, int]:
    """(generic, custom) plans the server has made for the prepared statement holding `fragment`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"]
        )
        return cursor.fetchone()


def test_a_read_marked_generic_plan_is_planned_once_for_any_values_and_gives_the_same_rows(cases):
    team = ServiceUser.objects.get(crn="N000001").team_id
    other = factories.ServiceUserFactory(crn="S000001").team_id
    for _ in range(4):
        assert [case.crn for case in _team_cases.instances(team, "Nobody")] == ["N000001", "N000002"]
        assert [case.crn for case in _team_cases.instances(team, "Ann")] == ["N000002"]
        assert [case.crn for case in _team_cases.instances(other, "Ann")] == ["S000001"]
    with transaction.atomic():  # inside a transaction the server chooses as usual (SET LOCAL would outlast the read)
        assert [case.crn for case in _team_cases.instances(other, "Nobody")] == ["S000001"]
        assert plan_cache_mode() in ("auto", None)
    assert _team_cases.count(team, "Nobody") == 2  # a count wraps the read and is planned as usual
    if ON_POSTGRES:
        generic, custom = plans_made("generic plan")
        assert generic >= 1 and custom <= 1  # the one in the transaction may be planned for its values
    assert plan_cache_mode() in ("auto", None)  # for the one statement only
