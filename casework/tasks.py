from celery import shared_task

from core.tasks import SWEEP_TASK

from .notifications import send_digests


@shared_task(**SWEEP_TASK)
def send_notification_digests() -> int:
    """Email each person one digest of their new notifications. Safe to run twice or in parallel."""
    return send_digests()
