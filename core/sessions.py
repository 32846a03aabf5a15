"""Database sessions, read with SQL compiled once (core.prepared): every signed-in page reads its session."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import prepared


@prepared
def _session(session_key):
    return Session.objects.filter(session_key=session_key)


class SessionStore(DatabaseSessionStore):
    """Django's database sessions; only the read is prepared. Expiry is compared here, not in the database,
    so it is the same clock Django writes expire_date with."""

    def _get_session_from_db(self):
        found = _session.instances(self.session_key) if self.session_key else []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
