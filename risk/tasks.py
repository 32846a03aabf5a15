from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from casework.models import ServiceUser
from casework.tasks import send_notification_digests
from core import runs
from core.queue import chunks
from core.tasks import SWEEP_TASK

from . import case_status, services, sweeps, whats_due


@shared_task(**SWEEP_TASK)
def notify_risk_review(review_id: int) -> int:
    """Thin and idempotent: the service records that managers were told and will not tell them twice."""
    return services.notify_managers_of_review(review_id)


@shared_task(**SWEEP_TASK)
def enquiry_recorded(enquiry_id: int) -> int:
    """An enquiry requested or answered: the reminders it answers resolve themselves (marked read)."""
    return sweeps.resolve_enquiry_reminders(enquiry_id)


@shared_task(**SWEEP_TASK)
def sweep_enquiries(today: str | None = None) -> int:
    """Daily: DA and safeguarding enquiries due, not requested in time, or without a response."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    run = runs.start_run(sweep_enquiries.name, day)
    if run is None:  # today's run has already finished
        return 0
    cases = chunks(sweeps.scheduled_cases().iterator(chunk_size=2000), settings.SWEEP_BATCH_SIZE)
    batches = runs.send_batches(run, remind_enquiries_batch, ([batch, day.isoformat()] for batch in cases))
    runs.fanned_out(run, batches)
    send_notification_digests.delay()
    return batches


@shared_task(**SWEEP_TASK)
def remind_enquiries_batch(case_ids: list[int], today: str, batch_id: int | None = None) -> int:
    created = sweeps.remind_enquiries(case_ids, date.fromisoformat(today))
    runs.batch_done(batch_id)
    return created


@shared_task(**SWEEP_TASK)
def sweep_case_status(today: str | None = None) -> int:
    """Nightly: recompute every case's stored status (criteria ratings, what is due), in batches, and the tiers
    whose breach or recall has stopped counting (risk.sweeps.recalculate_tiers_after_breach_expiry)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    run = runs.start_run(sweep_case_status.name, day)
    if run is None:  # tonight's run has already finished
        return 0
    cases = ServiceUser.objects.order_by("pk").values_list("pk", flat=True)
    batches = chunks(cases.iterator(chunk_size=2000), settings.SWEEP_BATCH_SIZE)
    count = runs.send_batches(run, refresh_case_status_batch, ([batch, day.isoformat()] for batch in batches))
    runs.fanned_out(run, count)
    return count


@shared_task(**SWEEP_TASK)
def refresh_case_status_batch(case_ids: list[int], today: str, batch_id: int | None = None) -> int:
    """Idempotent: a status already current for the day is read, not recomputed. First, the batch's tiers whose
    breach or recall stopped counting are recalculated (nothing else changes a tier when a date passes)."""
    day = date.fromisoformat(today)
    sweeps.recalculate_tiers_after_breach_expiry(case_ids, day)
    refreshed = case_status.refresh(case_ids, day)
    runs.batch_done(batch_id)
    return refreshed


@shared_task(**SWEEP_TASK)
def weekly_digest(today: str | None = None) -> int:
    """Monday morning: each officer and manager gets a summary of their week's work in the digest."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    run = runs.start_run(weekly_digest.name, day)
    created = whats_due.weekly_summaries(day)  # dedupe keys: a second run adds nothing
    if run is not None:
        runs.fanned_out(run, 0)
    send_notification_digests.delay()
    return created
