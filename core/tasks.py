from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import SubmissionToken
from .queue import dispatch_due

# A second submit comes within minutes; a day's margin covers a form left open overnight and resent.
KEEP_SUBMISSION_TOKENS = timedelta(days=2)


@shared_task
def dispatch_outbox() -> int:
    """Every minute: send follow-up work still in the outbox (the broker was down, or a web process died
    between commit and send). Safe to run twice at once: rows are locked while they are sent."""
    SubmissionToken.objects.filter(created_at__lt=timezone.now() - KEEP_SUBMISSION_TOKENS).delete()
    return dispatch_due()
