"""Risk of serious harm, domestic-abuse and safeguarding enquiries, risk reviews and the criteria rule set."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.models import AgencyInvolvement, ServiceUser, Tracked

from .constants import (
    ENQUIRY_RESULT_COLOURS,
    PROTECT_COLOURS,
    ROSH_COLOURS,
    CheckTrigger,
    EnquiryKind,
    EnquiryResult,
    MappaCategory,
    MappaLevel,
    ProtectLevel,
    RoshLevel,
    ScheduleSource,
)


class RiskAssessment(models.Model):
    """One version of a case's risk record. Changes add a new version; the latest is current."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="risk_assessments")
    rosh_level = models.CharField("RoSH level", max_length=10, choices=RoshLevel.choices)
    assessed_on = models.DateField()
    review_on = models.DateField()
    risk_to_known_adult = models.BooleanField(default=False)
    risk_to_children = models.BooleanField(default=False)
    risk_to_public = models.BooleanField(default=False)
    risk_to_staff = models.BooleanField(default=False)
    domestic_abuse_perpetrator = models.BooleanField(default=False)
    domestic_abuse_victim = models.BooleanField(default=False)
    child_protection_concerns = models.BooleanField(default=False)
    mappa_level = models.CharField("MAPPA", max_length=1, choices=MappaLevel.choices, blank=True)
    mappa_category = models.CharField("MAPPA category", max_length=1, choices=MappaCategory.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service_user", "-created_at"])]

    case_path = "service_user"

    def __str__(self):
        return f"RoSH {self.get_rosh_level_display().lower()} (assessed {self.assessed_on:%d %b %Y})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Risk assessments are versioned: add a new one instead of changing this")
        super().save(*args, **kwargs)

    @property
    def rosh_colour(self) -> str:
        """Tag colour for the RoSH level: green low, yellow medium, red high or very high."""
        return ROSH_COLOURS.get(self.rosh_level, "red")

    @property
    def at_risk(self) -> list[str]:
        groups = [
            ("known adult", self.risk_to_known_adult),
            ("children", self.risk_to_children),
            ("public", self.risk_to_public),
            ("staff", self.risk_to_staff),
        ]
        return [name for name, flagged in groups if flagged]


class CheckTriggerEvent(Tracked):
    """Something the officer learned that calls for both checks again (a new relationship, say)."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="check_triggers")
    trigger = models.CharField("what changed", max_length=15, choices=CheckTrigger.choices)
    noticed_on = models.DateField("date you learned of it")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-noticed_on", "-id"]
        indexes = [models.Index(fields=["service_user", "-noticed_on"])]

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_trigger_display()} ({self.noticed_on:%d %b %Y})"


class EnquirySchedule(Tracked):
    """How often a case needs a police DA or safeguarding enquiry (set by protocol or by hand)."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="enquiry_schedules")
    kind = models.CharField(max_length=15, choices=EnquiryKind.choices)
    interval_days = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=ScheduleSource.choices)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service_user", "kind"], name="one_schedule_per_kind")]

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_kind_display()} every {self.interval_days // 7} weeks"


class Enquiry(Tracked):
    """A police domestic-abuse call-out enquiry or a children's social care safeguarding enquiry."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="enquiries")
    kind = models.CharField(max_length=15, choices=EnquiryKind.choices)
    agency = models.ForeignKey(AgencyInvolvement, on_delete=models.PROTECT, null=True, blank=True)
    requested_on = models.DateField()
    response_due_on = models.DateField()
    response_received_on = models.DateField(null=True, blank=True)
    # The last time the officer chased an unanswered enquiry: it can only be closed as "no response" once chased.
    last_chased_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=12, choices=EnquiryResult.choices, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [models.Index(fields=["service_user", "kind", "-requested_on"])]

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_kind_display()} requested {self.requested_on:%d %b %Y}"

    @property
    def found_incidents(self) -> bool:
        return self.result == EnquiryResult.INCIDENTS

    @property
    def result_colour(self) -> str:
        """Tag colour for the result: green no incidents, red incidents found, yellow no response."""
        return ENQUIRY_RESULT_COLOURS.get(self.result, "")


class RiskReview(models.Model):
    """Opened when an enquiry finds new incidents; stays open until an officer records the review."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="risk_reviews")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews")
    reason = models.CharField(max_length=300)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review_notes = models.TextField(blank=True)
    managers_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enquiry"], condition=Q(enquiry__isnull=False), name="one_review_per_enquiry"
            )
        ]

    case_path = "service_user"

    def __str__(self):
        return f"Risk review: {self.reason}"


class CriteriaRuleSet(models.Model):
    """A version of the keeping-people-safe thresholds. The newest active one is used."""

    version = models.PositiveIntegerField(unique=True)
    thresholds = models.JSONField()
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"Keeping people safe rule set v{self.version}"


class CaseStatus(models.Model):
    """A case's keeping-people-safe ratings and what is due on it, stored so that pages over a whole
    team read one row per case.

    A row is only current for the day, rule set and case records version it was computed from;
    risk.case_status recomputes anything else when it is read, and a nightly sweep keeps rows fresh."""

    service_user = models.OneToOneField(ServiceUser, on_delete=models.CASCADE, primary_key=True, related_name="status")
    computed_on = models.DateField()
    rule_set_version = models.PositiveIntegerField()
    records_version = models.PositiveIntegerField()
    # The shape of what is stored (risk.case_status.FORMAT): a release that changes it recomputes every row.
    format = models.PositiveSmallIntegerField(default=1)
    # One {"key", "rating", "evidence", "recommendation", "links"} per criterion, as risk.rules returns them.
    ratings = models.JSONField()
    # What is due on the case that day (contact, enquiries, risk reviews), as risk.due.due_entries returns it, as
    # text (risk.case_status.pack_due): a manager's "What's due" reads hundreds, and PostgreSQL spent a fifth of
    # that page turning jsonb back into text, Python another fifth parsing every entry.
    due = models.TextField(default="", blank=True)
    # The ratings alone, in criteria order, joined by "|": what a team's table reads. Reading them out of
    # `ratings` unpacked that (compressed) value once per criterion and case.
    rating_summary = models.CharField(max_length=200, blank=True, default="")
    # The case's team when this was stored. A team's pages read their cases' statuses by it, one range of an index
    # (the team view's without touching the table) instead of a probe per case; a case moved to another team no
    # longer matches its status, which then counts as stale and is stored again under the new team.
    team = models.ForeignKey(
        "casework.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name_plural = "case statuses"
        indexes = [
            models.Index(
                fields=["team", "service_user"],
                include=["computed_on", "rule_set_version", "records_version", "format", "rating_summary"],
                name="case_status_team_idx",
            )
        ]

    def __str__(self):
        return f"Status of case {self.service_user_id} on {self.computed_on}"


class TierFactors(models.Model):
    """One version of what the officer records for the tier beyond the risk record: complexity factors,
    predictor scores (RSR, OGRS) and criminogenic needs. Changes add a new version; the latest is current."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="tier_factors")
    complexity_factors = models.JSONField(default=list, blank=True)  # ComplexityFactor values
    womens_factors = models.JSONField(default=list, blank=True)  # WomensFactor values (counted for women only)
    rsr_score = models.DecimalField("RSR score (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    ogrs_score = models.PositiveSmallIntegerField("OGRS score (%)", null=True, blank=True)
    needs = models.JSONField(default=dict, blank=True)  # Need -> NeedSeverity, from the OASys assessment
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "tier factors"

    case_path = "service_user"

    def __str__(self):
        return f"Tier factors recorded {self.created_at:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Tier factors are versioned: add a new version instead of changing this")
        super().save(*args, **kwargs)


class CaseTier(models.Model):
    """The case's current tier with the risk facts it was worked out from, so that a case header or a list of
    cases reads one row. risk.services.case_tier_recalculate keeps it current; changes go on the timeline."""

    service_user = models.OneToOneField(ServiceUser, on_delete=models.CASCADE, primary_key=True, related_name="tier")
    protect_level = models.CharField(max_length=1, choices=ProtectLevel.choices)
    change_level = models.PositiveSmallIntegerField()
    protect_points = models.PositiveSmallIntegerField(default=0)
    change_points = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    rosh_level = models.CharField("RoSH level", max_length=10, choices=RoshLevel.choices, blank=True)
    mappa_level = models.CharField("MAPPA", max_length=1, choices=MappaLevel.choices, blank=True)
    mappa_category = models.CharField("MAPPA category", max_length=1, choices=MappaCategory.choices, blank=True)
    flags = models.JSONField(default=list, blank=True)  # labels of the risk flags, for tags
    calculated_at = models.DateTimeField()

    case_path = "service_user"

    def __str__(self):
        return f"Tier {self.code}"

    @property
    def code(self) -> str:
        return f"{self.protect_level}{self.change_level}"

    @property
    def protect_colour(self) -> str:
        return PROTECT_COLOURS.get(self.protect_level, "grey")

    @property
    def rosh_colour(self) -> str:
        return ROSH_COLOURS.get(self.rosh_level, "red")
