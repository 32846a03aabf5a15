"""Signing in and the signed-in user."""

from django.contrib.auth.backends import ModelBackend

from core.prepared import prepared

from .models import User
from .selectors import prime_access, with_access
from .sessions import user_read_with_session


@prepared
def _user_with_access(user_id):
    # What every page checks access with, read with the user in one statement (casework.selectors.with_access).
    return with_access(User.objects.filter(pk=user_id))


class CaseworkBackend(ModelBackend):
    """Django's ModelBackend, with the user every request loads from its session read by SQL compiled once
    (core.prepared), together with their teams and the restrictions that apply in them."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        # Read with the session, in the same statement (casework.sessions); else on its own.
        user = user_read_with_session(user_id) or next(iter(_user_with_access.instances(user_id)), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        prime_access(user, user.member_team_ids, user.managed_team_ids, user.team_restrictions)
        return user
