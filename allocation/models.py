"""Officer profiles, workload weightings, allocation protocols and allocation decisions."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.constants import Grade, OrderType
from casework.models import ServiceUser, Team, Tracked

from .constants import TIER_CHOICES, TransferStatus

GRADE_ORDER = [Grade.UPW, Grade.PSO, Grade.PO]  # lowest first, as allocation.rules.GRADE_RANK


class OfficerProfile(Tracked):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="officer_profile")
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("37.0"))
    experience_years = models.PositiveSmallIntegerField("years of experience", default=0)
    specialisms = models.JSONField(default=list, blank=True)
    active = models.BooleanField("available for allocation", default=True)

    class Meta:
        ordering = ["user__last_name"]

    def __str__(self):
        return f"{self.user} ({self.user.grade or 'no grade'})"


class WorkloadReduction(Tracked):
    """Hours off an officer's workload (training, union duties, phased return...) for a period."""

    profile = models.ForeignKey(OfficerProfile, on_delete=models.CASCADE, related_name="reductions")
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    reason = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.hours} hours: {self.reason}"


class CaseWeighting(models.Model):
    """Workload points for one case of an order type at a tier (as hmpps-workload weights cases by tier and case
    type). The values are local policy: admins edit the table."""

    order_type = models.CharField(max_length=3, choices=OrderType.choices)
    tier = models.CharField(max_length=2, choices=TIER_CHOICES)
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order_type", "tier"]
        constraints = [models.UniqueConstraint(fields=["order_type", "tier"], name="one_weight_per_cell")]

    def __str__(self):
        return f"{self.get_order_type_display()} tier {self.tier}: {self.points} points"


class WorkloadSettings(models.Model):
    """Nominal targets: the points a full-time officer of each grade carries at 100% (one row). Like the national
    workload tool (WMT keeps a nominal target for POs and one for PSOs), a target per grade; the values are local."""

    nominal_target_points = models.PositiveIntegerField("nominal target for a probation officer", default=200)
    nominal_target_pso = models.PositiveIntegerField("nominal target for a PSO", default=200)
    nominal_target_upw = models.PositiveIntegerField("nominal target for an unpaid work supervisor", default=200)
    standard_hours = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("37.0"))

    class Meta:
        verbose_name_plural = "workload settings"

    def __str__(self):
        return f"{self.nominal_target_points} points for {self.standard_hours} hours"

    def target_for(self, grade: str) -> int:
        return {Grade.PSO: self.nominal_target_pso, Grade.UPW: self.nominal_target_upw}.get(
            grade, self.nominal_target_points
        )

    @classmethod
    def current(cls) -> "WorkloadSettings":
        return cls.objects.order_by("pk").first() or cls()


class AllocationRule(Tracked):
    """One rule of the local allocation protocol. Editing makes a new version; the old stays for evidence."""

    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(help_text="Rules are tried in this order; the first match wins")
    enabled = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False, help_text="Matches any case; tried last")
    conditions = models.JSONField(default=dict, blank=True)
    eligible_grades = models.JSONField(default=list, blank=True)
    min_experience_years = models.PositiveSmallIntegerField(default=0)
    required_specialism = models.CharField(max_length=20, blank=True)
    contact_frequency_days = models.PositiveSmallIntegerField(null=True, blank=True)
    contact_needs_approval = models.BooleanField(default=False)
    da_enquiry_interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    rationale = models.TextField()
    version = models.PositiveIntegerField(default=1)
    lineage = models.UUIDField(help_text="Shared by every version of one rule")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["is_default", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage"], condition=Q(superseded_at__isnull=True), name="one_current_version_per_rule"
            ),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True, superseded_at__isnull=True), name="one_default_rule"
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def min_grade(self) -> str:
        """The lowest grade who may hold the rule's cases: grades are a minimum, every grade above may too."""
        ranked = sorted((g for g in self.eligible_grades if g in GRADE_ORDER), key=GRADE_ORDER.index)
        return ranked[0] if ranked else ""

    @property
    def grades_text(self) -> str:
        if not self.min_grade:
            return "Any grade"
        return f"{dict(Grade.choices)[self.min_grade]} or above"


class AllocationDecision(models.Model):
    """Who was allocated, by whom, under which rule version, and the evidence shown at the time."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="allocations")
    rule = models.ForeignKey(AllocationRule, on_delete=models.PROTECT, related_name="decisions")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    suggested_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    previous_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    override_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    evidence = models.JSONField(default=dict)

    class Meta:
        ordering = ["-decided_at"]

    case_path = "service_user"

    def __str__(self):
        return f"{self.service_user.crn} allocated to {self.officer}"


class CaseTransfer(models.Model):
    """A line manager's request to move a case to another team, and the receiving team's decision. The rows stay
    as the case's transfer history; at most one request per case waits at a time."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="transfers")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name="sending team")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name="receiving team")
    reason = models.TextField("reason for the transfer")
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # The responsible officer when the transfer was asked for, and so whose assignment an acceptance ends.
    previous_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField("reason for declining", blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user"], condition=Q(status="pending"), name="one_pending_transfer_per_case"
            )
        ]

    case_path = "service_user"

    def __str__(self):
        return f"Transfer of {self.service_user.crn} from {self.from_team} to {self.to_team}"

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING
