"""Signing in and the signed-in user."""

from django.contrib.auth.backends import ModelBackend

from core.prepared import prepared

from .models import User


@prepared
def _user(user_id):
    return User.objects.filter(pk=user_id)


class CaseworkBackend(ModelBackend):
    """Django's ModelBackend, with the user every request loads from its session read by SQL compiled once
    (core.prepared)."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _user.instances(user_id)
        if not found or not self.user_can_authenticate(found[0]):
            return None
        return found[0]
