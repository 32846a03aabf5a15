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
    # The web request (or task) that recorded the work; the task logs it, so one id follows the work through.
    request_id = models.CharField(max_length=64, blank=True)
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


class SweepRun(models.Model):
    """One run of a scheduled sweep for one day: how many batches it fanned out and how many finished.
    core.runs' watchdog reads these to re-send batches that never finished and to catch up a daily sweep that
    beat never started (beat down across its time), and the readiness check reads them to report a late sweep."""

    sweep = models.CharField(max_length=200)  # the sweep task's name, e.g. "contacts.tasks.sweep_contact_reminders"
    run_on = models.DateField()
    batches_expected = models.PositiveIntegerField(null=True, blank=True)  # None until the fan-out has finished
    batches_completed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    late_reported_at = models.DateTimeField(null=True, blank=True)  # admins are told once that it is late

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sweep", "run_on"], name="one_sweep_run_a_day")]
        ordering = ["-run_on", "sweep"]

    def __str__(self) -> str:
        return f"{self.sweep} for {self.run_on}"


class SweepBatch(models.Model):
    """One batch of a sweep run: its arguments are kept so the watchdog can send it again if it is lost."""

    run = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=1)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="one_batch_number_a_run")]
        indexes = [models.Index(fields=["completed_at", "sent_at"], name="sweep_batch_waiting")]

    def __str__(self) -> str:
        return f"Batch {self.number} of {self.run}"


class Heartbeat(models.Model):
    """The last time a worker (or beat) showed it was alive; /health/ready reads it."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
