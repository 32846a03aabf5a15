"""Sessions are read with their user in one statement (casework.sessions), and that changes nothing about who is
signed in: the user comes only with their own session, a deleted user's sessions go, signing out ends it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Session
from casework.sessions import user_read_with_session


def test_a_page_reads_the_session_and_its_user_in_one_statement(client_for, north):
    client = client_for(north.officer)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/health/").status_code == 200
    # One statement on PostgreSQL (the session and its user as JSON); elsewhere the session, then the user.
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2), [q["sql"][:80] for q in captured]
    assert Session.objects.get(session_key=client.session.session_key).user_id == north.officer.pk


def test_the_user_read_with_a_session_is_only_ever_that_sessions_user_and_only_once(client_for, north):
    client = client_for(north.officer)
    store = client.session.__class__(client.session.session_key)
    store.load()
    assert user_read_with_session(north.manager.pk) is None  # another user's id: never this session's user
    store.load()
    user = user_read_with_session(north.officer.pk)
    assert user is not None and user.pk == north.officer.pk
    assert user_read_with_session(north.officer.pk) is None  # taken once: the next request reads its own


def test_a_deleted_users_sessions_go_with_them(db, client_for):
    from tests import factories

    temporary = factories.UserFactory()
    client = client_for(temporary)
    assert Session.objects.filter(user=temporary).count() == 1
    temporary.delete()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert client.get("/cases/").url.startswith("/sign-in/")


def test_signing_out_ends_the_session(client_for, north):
    client = client_for(north.officer)
    key = client.session.session_key
    assert client.get("/cases/").status_code == 200
    client.post("/sign-out/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/cases/").url.startswith("/sign-in/")
