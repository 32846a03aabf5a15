from django.conf import settings

from core.permissions import Can

from .notify import unread_count
from .selectors import cases_visible_to


def service(request):
    """Service name, phase, which primary navigation item is active, and what the user may do (`can`)."""
    match = getattr(request, "resolver_match", None)
    nav = "cases" if match and match.namespace in ("casework", "contacts", "risk") else ""
    unread = approvals_waiting = 0
    user = getattr(request, "user", None)
    can = Can(user)
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
        if can.decide_requests:
            approvals_waiting = _approvals_waiting(user)
    return {
        "can": can,
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "nav": nav,
        "unread_notifications": unread,
        "approvals_waiting": approvals_waiting,
    }


def _approvals_waiting(user) -> int:
    """Requests waiting for this line manager's decision (contacts.selectors.approvals_queue), counted in one query."""
    from contacts.constants import RequestStatus  # contacts depends on casework, not the other way
    from contacts.models import ContactChangeRequest

    visible = cases_visible_to(user).filter(team__managers=user)
    return ContactChangeRequest.objects.filter(status=RequestStatus.PENDING, service_user__in=visible).count()
