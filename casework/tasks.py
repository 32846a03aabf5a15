from celery import shared_task

from .notify import send_digests


@shared_task(acks_late=True)
def send_notification_digests() -> int:
    """Email each person one digest of their new notifications. Safe to run twice or in parallel."""
    return send_digests()
