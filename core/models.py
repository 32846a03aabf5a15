"""Tables the shared pieces need. Nothing here knows about cases."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent to the workers"
    FAILED = "failed", "Failed: no such task"


class Outbox(models.Model):
    """Follow-up work written in the same transaction as the record that needs it, so a broker outage can
    delay it but never lose it. core.tasks.dispatch_outbox sends whatever is still pending."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    # Optional: a second enqueue with the same key is dropped (the first one already does the work).
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbox entry"
        verbose_name_plural = "outbox"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)!r} ({self.get_state_display().lower()})"


class SubmissionToken(models.Model):
    """A create form's one-time token, written in the same transaction as what the form created. A second
    submit of the same form (a double click, a resend after a timeout) finds it and shows the first result."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Form sent by {self.user} at {self.created_at:%Y-%m-%d %H:%M}"


class EmailFailure(models.Model):
    """An email the mail server refused (a 550 for one address, say). Recorded against its recipient for
    admins to fix the address; it is not retried, so nobody is sent the same digest twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Email to {self.address} failed at {self.failed_at:%Y-%m-%d %H:%M}"
