from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from core import runs
from core.tasks import SWEEP_TASK

from .constants import NotificationKind, Role
from .notifications import notify, send_digests


@shared_task(**SWEEP_TASK)
def send_notification_digests() -> int:
    """Email each person one digest of their new notifications. Safe to run twice or in parallel."""
    return send_digests()


@shared_task(**SWEEP_TASK)
def sweep_watchdog() -> int:
    """Every five minutes: send again sweep batches that were lost, start a daily sweep beat missed, and tell
    the admins (once per sweep and day) about a sweep that is late. Returns how many sweeps are late."""
    runs.heartbeat("watchdog")
    late = runs.watch()
    admins = get_user_model().objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
    for sweep in late:
        if not runs.mark_reported(sweep):
            continue
        notify(
            list(admins),
            kind=NotificationKind.SWEEP_LATE,
            case=None,
            message=f"{sweep.label} has not finished: it was due to start at {sweep.due_at:%H:%M}. The watchdog "
            "has started it again; if it is still not done, check the workers.",
            url=reverse("admin:core_sweeprun_changelist"),
            key=f"sweep-late:{sweep.sweep}:{sweep.run_on}",
        )
    return len(late)
