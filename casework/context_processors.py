from django.conf import settings
from django.utils.module_loading import import_string

from core.permissions import Can, allowed
from core.prepared import read_together

from .notifications import UNREAD_COUNTED, unread_count


def service(request):
    """Service name, phase, which primary navigation item is active, what the user may do (`can`), and the
    navigation's badges: unread notifications, and for line managers what waits for their decision."""
    match = getattr(request, "resolver_match", None)
    nav = "cases" if match and match.namespace in ("casework", "contacts", "risk") else ""
    user = getattr(request, "user", None)
    return {
        "can": Can(user),
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "nav": nav,
        **_badges(user),
    }


def _badges(user) -> dict:
    """Every badge's count in one statement (core.prepared.read_together): they are on every page.
    What waits for a line manager comes from the apps that own it (settings.APPROVALS_WAITING: {kind: count}),
    so casework imports none of them."""
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "unread_badge": "", "approvals_waiting": 0, "approvals_waiting_by": {}}
    counts = {"unread": unread_count(user)}
    if allowed(user, "decide_requests"):
        for path in settings.APPROVALS_WAITING:
            counts |= import_string(path)(user)
    counts = read_together(counts)
    unread = counts.pop("unread")
    return {
        "unread_notifications": unread,
        "unread_badge": f"{UNREAD_COUNTED - 1}+" if unread >= UNREAD_COUNTED else str(unread),
        "approvals_waiting": sum(counts.values()),
        "approvals_waiting_by": counts,
    }
