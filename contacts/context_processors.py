"""The number of contact requests waiting for a line manager, for "Approvals" in the navigation. Here, not
in casework's context processor, because contacts depends on casework and not the other way round."""

from casework.selectors import cases_visible_to
from core.permissions import allowed

from .constants import RequestStatus
from .models import ContactChangeRequest


def approvals(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not allowed(user, "decide_requests"):
        return {"approvals_waiting": 0}
    visible = getattr(request, "visible_cases", None)
    visible = (cases_visible_to(user) if visible is None else visible).filter(team__managers=user)
    waiting = ContactChangeRequest.objects.filter(status=RequestStatus.PENDING, service_user__in=visible).count()
    return {"approvals_waiting": waiting}
