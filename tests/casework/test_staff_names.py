"""Officers' names on a team's pages, which each process keeps for a while (casework.selectors.officer_names)."""

import time
from unittest import mock

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import User
from tests import factories

TEAM_VIEW = "/keeping-people-safe/"


def team_view(client) -> str:
    response = client.get(TEAM_VIEW)
    assert response.status_code == 200
    return response.content.decode()


def test_a_team_view_names_each_officer_without_reading_staff_again(client_for, north):
    factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    client = client_for(north.manager)
    assert north.officer.get_full_name() in team_view(client)
    with CaptureQueriesContext(connection) as captured:
        assert north.officer.get_full_name() in team_view(client)
    # The session's own read of the signed-in user is the only read of staff.
    assert not [query for query in captured if 'FROM "casework_user" WHERE "casework_user"."id" IN' in query["sql"]]


def test_an_officer_renamed_shows_under_the_new_name_at_once(client_for, north):
    factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    client = client_for(north.manager)
    assert north.officer.get_full_name() in team_view(client)
    north.officer.last_name = "Okonkwo-Hale"
    north.officer.save()  # as the admin's change form does
    assert f"{north.officer.first_name} Okonkwo-Hale" in team_view(client)


def test_a_name_kept_by_another_thread_while_the_rename_committed_is_forgotten(
    client_for, north, django_capture_on_commit_callbacks
):
    factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    client = client_for(north.manager)
    old_name = north.officer.get_full_name()
    with django_capture_on_commit_callbacks(execute=True):
        north.officer.last_name = "Okonkwo-Hale"
        north.officer.save()
        caches["staff_names"].set(north.officer.pk, old_name)  # a list drawn before the rename committed
    page = team_view(client)
    assert f"{north.officer.first_name} Okonkwo-Hale" in page and old_name not in page


def test_a_name_changed_by_another_process_shows_within_the_minute(client_for, north):
    factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    client = client_for(north.manager)
    old_name = north.officer.get_full_name()
    assert old_name in team_view(client)
    # Another process's save: no signal reaches this one.
    User.objects.filter(pk=north.officer.pk).update(last_name="Okonkwo-Hale")
    assert old_name in team_view(client)
    later = time.time() + 61  # the cache's clock, a minute on (STAFF_NAMES_SECONDS)
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        page = team_view(client)
    assert f"{north.officer.first_name} Okonkwo-Hale" in page and old_name not in page
