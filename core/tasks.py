from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError
from django.db import OperationalError as DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import SubmissionToken
from .queue import dispatch_due

# A database failover or restart, or the broker away for a moment: worth trying again, not worth losing a sweep.
TRANSIENT_ERRORS = (DatabaseError, InterfaceError, BrokerError, ConnectionError)

# Options for sweep tasks, which are idempotent (state checks and unique dedupe keys), so running one twice is
# safe. acks_late + reject_on_worker_lost: a worker killed mid-task (deploy, out of memory) leaves the message
# to be redelivered rather than acknowledged and lost. Transient errors retry with exponential backoff without
# jitter: 5 s, 10 s, 20 s ... then every 10 minutes, 12 retries, giving up after about an hour (61 minutes).
SWEEP_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": False,
    "max_retries": 12,
}

# A second submit comes within minutes; a day's margin covers a form left open overnight and resent.
KEEP_SUBMISSION_TOKENS = timedelta(days=2)


@shared_task
def dispatch_outbox() -> int:
    """Every minute: send follow-up work still in the outbox (the broker was down, or a web process died
    between commit and send). Safe to run twice at once: rows are locked while they are sent."""
    SubmissionToken.objects.filter(created_at__lt=timezone.now() - KEEP_SUBMISSION_TOKENS).delete()
    return dispatch_due()
