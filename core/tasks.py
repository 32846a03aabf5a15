from celery import shared_task

from .queue import dispatch_due


@shared_task
def dispatch_outbox() -> int:
    """Every minute: send follow-up work still in the outbox (the broker was down, or a web process died
    between commit and send). Safe to run twice at once: rows are locked while they are sent."""
    return dispatch_due()
