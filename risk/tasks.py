from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notify_risk_review(review_id: int) -> int:
    """Thin and idempotent: the service records that managers were told and will not tell them twice."""
    return services.notify_managers_of_review(review_id)
