"""Database sessions, each read with its signed-in user in one statement (SESSION_ENGINE).

Django reads a session, then its user: two round trips on every page. Here the session's row holds its user's
id (casework.models.Session), so both come in one statement (core.prepared.read_together), the user with what
their access is checked against (casework.selectors.with_access). The user read is handed to the authentication
backend (casework.backends) for this request only; it still checks the user may sign in, and Django still checks
the session's password hash.
"""

from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from core.prepared import listing, prepared, read_together

from .models import Session, User
from .selectors import with_access

# The user read with the session this request loaded. Set by every load (None first), and taken once, so a user
# left by an earlier request is never taken for this one's.
_read_with_session: ContextVar[User | None] = ContextVar("user_read_with_session", default=None)


@prepared
def _session(session_key):
    return Session.objects.filter(session_key=session_key)


@prepared
def _user_of_session(session_key):
    return with_access(User.objects.filter(sessions__session_key=session_key))


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, read with their user. Expiry is compared here, not in the database, so it is
    the same clock Django writes expire_date with."""

    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None  # not signed in (yet)
        return instance

    def _get_session_from_db(self):
        _read_with_session.set(None)
        if not self.session_key:
            return None
        found = read_together(
            {
                "session": listing(_session, self.session_key, instances=True),
                "user": listing(_user_of_session, self.session_key, instances=True),
            }
        )
        if found["session"] and found["session"][0].expire_date > timezone.now():
            _read_with_session.set(found["user"][0] if found["user"] else None)
            return found["session"][0]
        self._session_key = None
        return None


def user_read_with_session(user_id: int) -> User | None:
    """The user this request's session was read with, if it is this user: once (the backend's get_user)."""
    user = _read_with_session.get()
    _read_with_session.set(None)
    return user if user is not None and user.pk == user_id else None
