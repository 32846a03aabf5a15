"""The admin's lists of national tables: counted from the database's statistics when the whole table is listed."""

import re

from django.db import connection

from core.admin import EstimatedCountPaginator
from tests import factories

LIST = "/admin/casework/serviceuser/"


def total_shown(response) -> str:
    return re.search(r"(About )?\d+ service users", response.content.decode()).group(0)


def test_the_whole_national_list_shows_an_estimated_total_and_a_search_an_exact_one(
    client_for, admin_user, monkeypatch
):
    team = factories.TeamFactory()
    for index in range(3):
        factories.ServiceUserFactory(team=team, crn=f"E{index:06d}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE casework_serviceuser" if connection.vendor == "postgresql" else "ANALYZE")
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_ABOVE", 1)  # as if the table were national
    client = client_for(admin_user)

    whole = client.get(LIST)
    assert whole.status_code == 200
    if connection.vendor == "postgresql":  # from pg_class's statistics, which ANALYZE has just brought up to date
        assert total_shown(whole) == "About 3 service users"
    else:
        assert total_shown(whole) == "3 service users"
    assert re.search(r"(?<!About )1 service user\b", client.get(LIST, {"q": "E000001"}).content.decode())


def test_a_table_below_the_threshold_is_counted_exactly(client_for, admin_user):
    team = factories.TeamFactory()
    for index in range(2):
        factories.ServiceUserFactory(team=team, crn=f"E{index:06d}")
    assert total_shown(client_for(admin_user).get(LIST)) == "2 service users"


def test_the_list_makes_the_same_queries_whether_its_total_is_estimated_or_exact(client_for, admin_user, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    team = factories.TeamFactory()
    for index in range(3):
        factories.ServiceUserFactory(team=team, crn=f"E{index:06d}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE casework_serviceuser" if connection.vendor == "postgresql" else "ANALYZE")
    client = client_for(admin_user)
    client.get(LIST)
    counted = []
    for threshold in (1_000_000, 1):  # exact, then (on PostgreSQL) estimated
        monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_ABOVE", threshold)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]
