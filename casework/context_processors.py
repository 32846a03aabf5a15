from django.conf import settings

from core.permissions import Can

from .notifications import unread_count


def service(request):
    """Service name, phase, which primary navigation item is active, and what the user may do (`can`)."""
    match = getattr(request, "resolver_match", None)
    nav = "cases" if match and match.namespace in ("casework", "contacts", "risk") else ""
    unread = 0
    user = getattr(request, "user", None)
    can = Can(user)
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
    return {
        "can": can,
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "nav": nav,
        "unread_notifications": unread,
    }
