"""Contacts (the legal record of supervision), contact plans and requests for more or less contact."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from casework.models import (
    AgencyInvolvement,
    KeyIndividual,
    Order,
    ProtectedPerson,
    Requirement,
    ServiceUser,
    Tracked,
)

from .constants import (
    ATTENDANCE_TYPES,
    COMPLIED,
    FAILURES,
    FREQUENCY_CHOICES,
    NOTES_MAX_LENGTH,
    PENDING,
    REMINDER_STATUS_COLOURS,
    REQUEST_STATUS_COLOURS,
    AmendmentKind,
    BreachResult,
    BreachStage,
    Channel,
    ContactType,
    EnforcementAction,
    LetterKind,
    Outcome,
    PlanSource,
    RecallDecision,
    RecallStage,
    ReminderKind,
    ReminderStatus,
    RequestStatus,
    WarningKind,
    WithWhom,
    enforcement_label,
)


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):
        raise TypeError("Contact records are legal records and are never deleted")


class Contact(Tracked):
    """One contact or appointment. A future one is an appointment until its outcome is recorded."""

    # No index of its own: contact_log_idx leads with the case and serves every lookup by case. A second,
    # smaller index let PostgreSQL read a long history whole and sort it for the log's first page.
    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="contacts", db_index=False)
    contact_type = models.CharField(max_length=4, choices=ContactType.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    with_whom = models.CharField(max_length=20, choices=WithWhom.choices, default=WithWhom.SERVICE_USER)
    key_individual = models.ForeignKey(KeyIndividual, on_delete=models.PROTECT, null=True, blank=True)
    protected_person = models.ForeignKey(ProtectedPerson, on_delete=models.PROTECT, null=True, blank=True)
    agency = models.ForeignKey(AgencyInvolvement, on_delete=models.PROTECT, null=True, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    sensitive = models.BooleanField(default=False)
    national_standard = models.BooleanField(default=False)
    arranged = models.BooleanField(default=False, help_text="Arranged in advance as an appointment")
    series = models.UUIDField(null=True, blank=True, help_text="Shared by the appointments of one repeating series")
    outcome = models.CharField(max_length=4, choices=Outcome.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(  # not indexed, as Tracked's created_by
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    enforcement_action = models.CharField(max_length=4, choices=EnforcementAction.choices, blank=True)
    # The order the contact is under. Older contacts have none: the order in force on the day is used
    # (contacts.rules.order_in_force).
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    # Unpaid work: the requirement credited and minutes deducted (late arrival, breaks, poor work).
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, null=True, blank=True)
    penalty_minutes = models.PositiveIntegerField(default=0)
    # Appointments that move (contacts.appointments). A cancelled appointment stays on the record with who
    # cancelled it, when and why. A rescheduled one keeps its original date and takes the national
    # "rescheduled" outcome (RSSR/RSOF), pointing at the appointment that replaced it: an auditor reading
    # the contact log sees both, as on the national case record.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(  # not indexed, as Tracked's created_by
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    cancel_reason = models.TextField(blank=True)
    rescheduled_to = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rescheduled_from"
    )

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            # In the contact log's order (newest first, id breaking ties), so a page is read straight off the
            # index and stops at its end; its (service_user, starts_at) prefix serves the due-date queries.
            models.Index(fields=["service_user", "-starts_at", "-id"], name="contact_log_idx"),
            models.Index(fields=["officer", "starts_at"], condition=Q(outcome=""), name="contact_no_outcome_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="contact_ends_after_start",
            ),
        ]

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_contact_type_display()} on {self.starts_at:%d %b %Y}"

    def delete(self, *args, **kwargs):
        raise TypeError("Contact records are legal records and are never deleted")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def can_move(self) -> bool:
        """An arranged appointment still to come with no outcome can be rescheduled or cancelled."""
        return self.arranged and not self.outcome and not self.is_cancelled

    @property
    def takes_attendance(self) -> bool:
        return self.contact_type in ATTENDANCE_TYPES

    @property
    def is_unpaid_work(self) -> bool:
        return self.contact_type == ContactType.CUPA

    @property
    def compliance_colour(self) -> str:
        """Tag colour for the outcome: green complied, red failed, yellow pending, grey otherwise."""
        if self.outcome in COMPLIED:
            return "green"
        if self.outcome in FAILURES:
            return "red"
        if self.outcome in PENDING:
            return "yellow"
        return "grey"

    @property
    def decision_pending(self) -> bool:
        """A failure to attend nobody has yet judged acceptable or unacceptable."""
        return self.outcome in PENDING

    @property
    def enforcement_text(self) -> str:
        """The enforcement action's words, marked "(local)" for a code that is not national."""
        return enforcement_label(self.enforcement_action) if self.enforcement_action else ""

    @property
    def with_whom_text(self) -> str:
        person = self.key_individual or self.protected_person or self.agency
        return f"{self.get_with_whom_display()}: {person}" if person else self.get_with_whom_display()


class ContactAmendment(models.Model):
    """A correction to a saved contact. The values before the change are kept here, forever."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="amendments")
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    # [{"field": label, "from": old, "to": new}, ...]
    changes = models.JSONField(default=list)
    # A decision on a failure to attend, or a change of outcome, records the evidence it rests on.
    kind = models.CharField(max_length=10, choices=AmendmentKind.choices, default=AmendmentKind.CORRECTION)
    evidence = models.TextField(blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["amended_at", "id"]

    def __str__(self):
        return f"Amendment to {self.contact} by {self.amended_by}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Amendments are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Amendments are append-only")


class EnforcementWarning(Tracked):
    """A warning given for a failure without reasonable excuse (Sentencing Act 2020 Sch 10 para 5, Sch 16
    para 5): on which order, for which failure, and the date it was given, from which the 12-month breach
    period runs. Withdrawn warnings are kept, marked withdrawn, and no longer count."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="warnings")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="warnings")
    failure = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="warnings")
    kind = models.CharField(max_length=10, choices=WarningKind.choices)
    action = models.CharField(max_length=4, choices=EnforcementAction.choices)
    given_on = models.DateField("date the warning was given")
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # EA06 (withdraw warning letter) or EA07 (withdrawal of warning, one given in person): contacts.services.
    withdrawal_action = models.CharField(max_length=4, choices=EnforcementAction.choices, blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["failure"], condition=Q(withdrawn_on__isnull=True), name="one_warning_per_failure"
            )
        ]

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_kind_display()} given {self.given_on:%d %b %Y}"

    def delete(self, *args, **kwargs):
        raise TypeError("Warnings are legal records and are never deleted")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    @property
    def withdrawal_text(self) -> str:
        return enforcement_label(self.withdrawal_action) if self.withdrawal_action else ""


class ContactPlan(Tracked):
    """How often the case must be seen, from when, and on whose authority."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="contact_plans")
    frequency_days = models.PositiveSmallIntegerField(choices=FREQUENCY_CHOICES)
    source = models.CharField(max_length=10, choices=PlanSource.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    change_request = models.OneToOneField(
        "ContactChangeRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="plan"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user"], condition=Q(ends_on__isnull=True), name="one_open_contact_plan"
            ),
        ]

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_frequency_days_display()} from {self.starts_on:%d %b %Y}"


class ContactChangeRequest(models.Model):
    """An officer's request for more (or less) contact than the plan; a line manager decides it."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="contact_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    frequency_days = models.PositiveSmallIntegerField(choices=FREQUENCY_CHOICES)
    starts_on = models.DateField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["status", "requested_at"]),
            # The Approvals badge and a case's summary: the few waiting, not every decision ever made.
            models.Index(
                fields=["service_user"], condition=Q(status=RequestStatus.PENDING), name="contact_request_pending_idx"
            ),
        ]

    case_path = "service_user"

    def __str__(self):
        return f"Request for contact {self.get_frequency_days_display().lower()}"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def status_colour(self) -> str:
        """Tag colour for the status: yellow waiting, green approved, red refused."""
        return REQUEST_STATUS_COLOURS[self.status]


class ContactPreferences(Tracked):
    """How the service user wants to be reminded of appointments: their mobile number (E.164) and email, and
    consent by channel with who recorded it and when. No consent, no message. Withdrawing keeps the record
    of when consent was given (the timeline has each change)."""

    service_user = models.OneToOneField(ServiceUser, on_delete=models.PROTECT, related_name="contact_preferences")
    mobile = models.CharField("mobile number", max_length=20, blank=True)
    email = models.EmailField("email address", blank=True)
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    email_consent_at = models.DateTimeField(null=True, blank=True)
    email_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Only if the person agreed may an email subject line say "probation" (issue 20).
    probation_in_subject = models.BooleanField(default=False)

    case_path = "service_user"

    def __str__(self):
        return f"Contact preferences for {self.service_user}"

    @property
    def sms_consented(self) -> bool:
        return bool(self.sms_consent_at and self.mobile)

    @property
    def email_consented(self) -> bool:
        return bool(self.email_consent_at and self.email)


class ReminderSettings(models.Model):
    """Local policy for reminders, changed by an admin (no national rule sets these times), and the GOV.UK
    Notify template ids: the templates' wording lives in Notify."""

    day_before_hour = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(23)],
        default=17,
        help_text="Hour of the day before an appointment to send its reminder (local policy)",
    )
    early_before_hour = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(23)],
        default=11,
        help_text="Appointments starting before this hour also get a reminder on the day (local policy)",
    )
    on_the_day_hour = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(23)],
        default=7,
        help_text="Hour on the day to send the on-the-day reminder (local policy)",
    )
    book_weekly_by_weekday = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(6)],
        default=2,
        help_text="Weekday (0 Monday to 6 Sunday) by which a weekly plan must have an appointment booked for the "
        "next week, or the officer is reminded (local policy)",
    )
    sms_template_id = models.CharField("text message template id", max_length=36, blank=True)
    email_template_id = models.CharField("email template id", max_length=36, blank=True)
    email_subject_agreed_template_id = models.CharField(
        "email template id (subject may say probation)",
        max_length=36,
        blank=True,
        help_text="Used only for people who agreed that an email subject line may say probation",
    )
    contact_phone = models.CharField(
        "how to get in touch", max_length=100, default="0300 047 0000", help_text="Given in every reminder"
    )

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self):
        return "Reminder settings"

    @classmethod
    def current(cls) -> "ReminderSettings":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class Reminder(models.Model):
    """One reminder message to the service user through GOV.UK Notify: one per appointment, kind and channel
    (the unique constraint makes the sweep safe to run twice). The personalisation sent is kept."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="reminders")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="reminders")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    recipient = models.CharField(max_length=254)
    template_id = models.CharField(max_length=36, blank=True)
    personalisation = models.JSONField(default=dict)
    send_after = models.DateTimeField()
    status = models.CharField(max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.SCHEDULED)
    reference = models.CharField(max_length=60, unique=True)
    notify_id = models.CharField(max_length=64, blank=True, db_index=True)
    backend = models.CharField(max_length=10, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-send_after", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "kind", "channel"], name="one_reminder_per_appointment")
        ]
        indexes = [models.Index(fields=["status", "send_after"])]

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_channel_display()} reminder for {self.contact}"

    def delete(self, *args, **kwargs):
        raise TypeError("Reminders are kept with the case record")

    @property
    def status_colour(self) -> str:
        return REMINDER_STATUS_COLOURS[self.status]

    @property
    def recipient_text(self) -> str:
        """A mobile number as people write it (07700 900321); an email address as it is."""
        if self.channel == Channel.SMS and self.recipient.startswith("+44"):
            national = "0" + self.recipient[3:]
            return f"{national[:5]} {national[5:]}"
        return self.recipient


class BreachAction(Tracked):
    """A breach of a community or suspended sentence order taken to court: the referral (for a failure without
    reasonable excuse), the breach report, the hearing date and the court's result. One open breach per order."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="breaches")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="breaches")
    failure = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="breaches")
    referred_on = models.DateField("date referred for breach")
    reason = models.TextField()
    report_submitted_on = models.DateField(null=True, blank=True)
    report_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    hearing_on = models.DateField("date of the court hearing", null=True, blank=True)
    court = models.CharField(max_length=200, blank=True)
    result = models.CharField(max_length=10, choices=BreachResult.choices, blank=True)
    result_on = models.DateField(null=True, blank=True)
    result_notes = models.TextField(blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(result=""), name="one_open_breach_per_order")
        ]

    case_path = "service_user"

    def __str__(self):
        return f"Breach of the {self.order.get_order_type_display().lower()} referred {self.referred_on:%d %b %Y}"

    def delete(self, *args, **kwargs):
        raise TypeError("Breach records are legal records and are never deleted")

    @property
    def stage(self) -> str:
        if self.result:
            return BreachStage.RESULTED
        if self.hearing_on:
            return BreachStage.LISTED
        if self.report_submitted_on:
            return BreachStage.REPORTED
        return BreachStage.REFERRED

    @property
    def stage_label(self) -> str:
        return BreachStage(self.stage).label

    @property
    def is_open(self) -> bool:
        return not self.result


class Recall(Tracked):
    """A recall of a licence: the officer's recommendation and reasons, the line manager's countersignature and
    the decision (recalled, or not recalled with what happens instead). One open recall per licence."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="recalls")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="recalls")
    failure = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="recalls")
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_on = models.DateField()
    reasons = models.TextField()
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersign_comments = models.TextField(blank=True)
    decision = models.CharField(max_length=12, choices=RecallDecision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-recommended_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(decision=""), name="one_open_recall_per_order")
        ]

    case_path = "service_user"

    def __str__(self):
        return f"Recall recommended {self.recommended_on:%d %b %Y}"

    def delete(self, *args, **kwargs):
        raise TypeError("Recall records are legal records and are never deleted")

    @property
    def stage(self) -> str:
        if self.decision:
            return RecallStage.DECIDED
        if self.countersigned_at:
            return RecallStage.COUNTERSIGNED
        return RecallStage.RECOMMENDED

    @property
    def stage_label(self) -> str:
        return RecallStage(self.stage).label


class Letter(models.Model):
    """A letter produced from the record (a warning letter, a breach referral summary). The filled letter is
    stored as it was produced, so it never changes afterwards, with who produced it and when."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    title = models.CharField(max_length=200)
    # The filled letter as produced: HTML rendered (and escaped) from the letter's template at that moment.
    body = models.TextField()
    warning = models.ForeignKey(
        EnforcementWarning, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    breach = models.ForeignKey(BreachAction, on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(auto_now_add=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-produced_at", "-id"]

    case_path = "service_user"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A letter is kept as it was produced")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Letters are kept as they were produced")
