"""The number of decisions waiting for a line manager, for "Approvals" in the navigation. Here, not in casework's
context processor, because contacts depends on casework and not the other way round. Other apps add what waits
for the same manager (settings.APPROVALS_WAITING, e.g. allocation's incoming transfers), so the badge counts
everything without contacts importing them."""

from django.conf import settings
from django.utils.module_loading import import_string

from core.permissions import allowed


def approvals(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not allowed(user, "decide_requests"):
        return {"approvals_waiting": 0, "approvals_waiting_by": {}}
    # Each contribution is one count query: the navigation costs the same however much waits.
    waiting = {}
    for path in settings.APPROVALS_WAITING:
        waiting |= import_string(path)(user)
    return {"approvals_waiting": sum(waiting.values()), "approvals_waiting_by": waiting}
