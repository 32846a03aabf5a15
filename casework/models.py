"""Casework records: staff and teams, service users, orders, and the people around a case."""

import re
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.display import QuickDisplay

from .constants import (
    AgencyType,
    AuditAction,
    EventKind,
    Gender,
    Grade,
    NotificationKind,
    OrderStatus,
    OrderType,
    Relationship,
    RequirementStatus,
    RequirementType,
    RestrictionKind,
    Role,
)
from .rules import age_on, upw_complete_by

CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")


def validate_crn(value: str) -> None:
    if not CRN_PATTERN.match(value or ""):
        raise ValidationError(
            "Enter a CRN in the correct format: one letter followed by six numbers, like X123456",
            code="invalid_crn",
        )


class Team(models.Model):
    """A probation team within a probation delivery unit (PDU)."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    pdu = models.CharField("probation delivery unit", max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff. Officers belong to teams; line managers manage teams."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESPONSIBLE_OFFICER)
    grade = models.CharField(max_length=5, choices=Grade.choices, blank=True)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    managed_teams = models.ManyToManyField(Team, related_name="managers", blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_line_manager(self) -> bool:
        return self.role == Role.LINE_MANAGER

    @property
    def is_casework_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def clean(self):
        if self.grade and self.role != Role.RESPONSIBLE_OFFICER:
            raise ValidationError({"grade": "Only responsible officers have a grade"})


class Tracked(QuickDisplay, models.Model):
    """Who created and last changed a record, and when (every casework row carries this)."""

    # Not indexed: who saved a row is shown with it, never searched for, and an index would be written with every
    # row saved. Only deleting a user reads by them (a rare admin step, and users with records are kept).
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )

    class Meta:
        abstract = True


class ServiceUser(Tracked):
    """A person on probation: the case. Identified by their CRN."""

    crn = models.CharField(
        "CRN",
        max_length=7,
        unique=True,
        validators=[validate_crn],
        error_messages={"unique": "A service user with this CRN already exists"},
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField("phone number", max_length=20, blank=True)
    # Indexed by case_team_idx, which starts with the team.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", db_index=False)
    # Current responsible officer; the full history is in ResponsibleOfficerAssignment.
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        null=True,
        blank=True,
    )
    # Goes up whenever a record the case's stored status is worked out from changes (risk.signals),
    # so a status computed from an older version is known to be out of date (risk.case_status).
    records_version = models.PositiveIntegerField(default=0, editable=False)
    # Set when the case's last active order ends (casework.services.order_end): a closed case is skipped by
    # sweeps, reminders and "What's due", and takes no new contacts or appointments.
    closed_on = models.DateField("date the case closed", null=True, blank=True, editable=False)
    closure_reason = models.TextField("why the case closed", blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["team", "last_name", "first_name"]),
            models.Index(fields=["responsible_officer", "last_name", "first_name"]),
            # A list of every case by name (the admin's, which adds -pk to the order): a page read off the
            # index instead of sorting 250,000 cases (42 ms to 0.4 ms at 50,000).
            models.Index(fields=["last_name", "first_name", "-id"], name="case_name_idx"),
            # A team's case ids from the index alone: every visibility check (casework.selectors.cases_in) and
            # the Approvals badge join through them.
            models.Index(fields=["team", "id"], name="case_team_idx"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.crn})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def age_on(self, on: date) -> int:
        return age_on(self.date_of_birth, on)

    @property
    def address_lines(self) -> list[str]:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return [p for p in parts if p]


class ResponsibleOfficerAssignment(models.Model):
    """Append-only history of who has been responsible for a case."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="officer_history")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # At most one current responsible officer per case.
            models.UniqueConstraint(
                fields=["service_user"], condition=Q(ended_at__isnull=True), name="one_current_officer"
            )
        ]

    def __str__(self):
        return f"{self.officer} responsible for {self.service_user.crn} from {self.started_at:%d %b %Y}"


class Order(Tracked):
    """A sentence being supervised: community order, suspended sentence order or licence."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="orders")
    order_type = models.CharField("type of order", max_length=3, choices=OrderType.choices)
    court = models.CharField("sentencing court", max_length=200)
    sentence_date = models.DateField()
    start_date = models.DateField()
    expected_end_date = models.DateField()
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default=OrderStatus.ACTIVE)
    # How and when it ended (casework.services.order_end); empty while it is active.
    ended_on = models.DateField("date the order ended", null=True, blank=True)
    end_reason = models.TextField("why the order ended", blank=True)

    class Meta:
        ordering = ["-sentence_date", "-id"]

    def __str__(self):
        return f"{self.get_order_type_display()} ({self.sentence_date:%d %b %Y})"

    case_path = "service_user"

    @property
    def is_active(self) -> bool:
        return self.status == OrderStatus.ACTIVE


def requirement_label(requirement_type: str, unpaid_work_hours, rar_days) -> str:
    """A requirement as lists show it: "Unpaid work: 80 hours", "Rehabilitation activity: 20 days"."""
    label = dict(RequirementType.choices).get(requirement_type, requirement_type)
    if requirement_type == RequirementType.UNPAID_WORK and unpaid_work_hours:
        return f"{label}: {unpaid_work_hours} hours"
    if requirement_type == RequirementType.RAR and rar_days:
        return f"{label}: {rar_days} days"
    return label


class Requirement(Tracked):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="requirements")
    requirement_type = models.CharField("type of requirement", max_length=5, choices=RequirementType.choices)
    unpaid_work_hours = models.PositiveIntegerField("unpaid work hours ordered", null=True, blank=True)
    rar_days = models.PositiveIntegerField("rehabilitation activity days", null=True, blank=True)
    details = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=RequirementStatus.choices, default=RequirementStatus.ACTIVE)

    class Meta:
        ordering = ["id"]

    case_path = "order__service_user"

    def __str__(self):
        return requirement_label(self.requirement_type, self.unpaid_work_hours, self.rar_days)

    @property
    def is_active(self) -> bool:
        return self.status == RequirementStatus.ACTIVE

    @property
    def is_unpaid_work(self) -> bool:
        return self.requirement_type == RequirementType.UNPAID_WORK

    @property
    def upw_complete_by(self) -> date | None:
        """The last day to complete the unpaid work hours: 12 months from the order unless the court extended it."""
        if not self.is_unpaid_work:
            return None
        return upw_complete_by(self.order.sentence_date, [e.extended_to for e in self.extensions.all()])


class UnpaidWorkExtension(Tracked):
    """A court's extension of the 12 months within which unpaid work must be performed (Sentencing Act 2020
    Schedule 10 paragraph 21 for a community order, Schedule 16 paragraph 27 for a suspended sentence order).
    The latest extension's date is the one that counts (casework.rules.upw_complete_by)."""

    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="extensions")
    extended_to = models.DateField("new date to complete the hours by")
    court = models.CharField("court that granted it", max_length=200)
    granted_on = models.DateField("date granted")

    class Meta:
        ordering = ["-extended_to", "-id"]

    case_path = "requirement__order__service_user"

    def __str__(self):
        return f"Unpaid work extended to {self.extended_to:%d %b %Y} by {self.court}"


class Offence(Tracked):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="offences")
    description = models.CharField("offence", max_length=200)
    offence_date = models.DateField("date of offence", null=True, blank=True)
    is_main = models.BooleanField("this is the main offence", default=True)
    domestic_abuse = models.BooleanField("the offence is domestic abuse related", default=False)

    class Meta:
        ordering = ["-is_main", "id"]

    case_path = "order__service_user"

    def __str__(self):
        return self.description


class ProtectedPerson(Tracked):
    """An actual or potential victim the service user must be kept from harming."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="protected_people")
    full_name = models.CharField(max_length=200)
    relationship = models.CharField("relationship to the service user", max_length=20, choices=Relationship.choices)
    is_victim = models.BooleanField("they were a victim of the offence", default=False)
    contact_restrictions = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "protected people"

    case_path = "service_user"

    def __str__(self):
        return self.full_name


class RestrainingOrder(Tracked):
    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="restraining_orders")
    court = models.CharField("court that made the order", max_length=200)
    made_on = models.DateField("date made")
    expires_on = models.DateField("expiry date", null=True, blank=True)
    until_further_order = models.BooleanField("the order lasts until further order", default=False)
    conditions = models.TextField()
    protected_people = models.ManyToManyField(
        ProtectedPerson, verbose_name="people the order protects", related_name="restraining_orders", blank=True
    )

    class Meta:
        ordering = ["-made_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until_further_order=True, expires_on__isnull=True)
                | Q(until_further_order=False, expires_on__isnull=False),
                name="restraining_order_has_one_end",
            )
        ]

    case_path = "service_user"

    def __str__(self):
        return f"Restraining order made {self.made_on:%d %b %Y}"


class KeyIndividual(Tracked):
    """Someone in the service user's life who may support (or complicate) managing risk."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="key_individuals")
    full_name = models.CharField(max_length=200)
    relationship = models.CharField("relationship to the service user", max_length=20, choices=Relationship.choices)
    phone = models.CharField("phone number", max_length=20, blank=True)
    involve = models.BooleanField("involve them in supervision", default=True)
    notes = models.TextField("how they support (or affect) managing risk", blank=True)

    class Meta:
        ordering = ["full_name"]

    case_path = "service_user"

    def __str__(self):
        return self.full_name


class AgencyInvolvement(Tracked):
    """Another agency working with the case, and who to talk to there."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="agencies")
    agency_type = models.CharField("type of agency", max_length=20, choices=AgencyType.choices)
    organisation = models.CharField("organisation name", max_length=200)
    contact_name = models.CharField("named contact", max_length=200, blank=True)
    contact_details = models.CharField("phone or email", max_length=200, blank=True)
    role = models.CharField("their role in the case", max_length=300)
    started_on = models.DateField("involved since")
    ended_on = models.DateField("involvement ended", null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = "agency involved"
        verbose_name_plural = "agencies involved"

    case_path = "service_user"

    def __str__(self):
        return f"{self.get_agency_type_display()}: {self.organisation}"


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Case events are append-only")

    def delete(self):
        raise TypeError("Case events are append-only")


class CaseEvent(models.Model):
    """Append-only record of who did what to a case and when: the case timeline."""

    # Indexed with occurred_at (Meta.indexes), which serves the case's own look-ups too.
    service_user = models.ForeignKey(ServiceUser, on_delete=models.PROTECT, related_name="events", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    record_type = models.CharField(max_length=50)
    record_id = models.BigIntegerField(null=True)
    summary = models.CharField(max_length=300)
    # [{"field": label, "from": old, "to": new}, ...] for updates.
    changes = models.JSONField(default=list, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["service_user", "-occurred_at"])]

    def __str__(self):
        return self.summary

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Case events are append-only")


class Notification(models.Model):
    """An in-app message for one member of staff, emailed to them in a digest.

    `dedupe_key` is unique: a sweep that runs twice, or two workers at once, cannot create the
    same reminder twice (the second insert is ignored by the database, not by luck).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    escalation = models.BooleanField(default=False)
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["emailed_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent_idx"),
            # The navigation's unread count, from the index alone: a manager who never reads has hundreds.
            models.Index(
                fields=["recipient", "service_user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self):
        return self.message


class AccessRestriction(models.Model):
    """Limited access to a case. An exclusion keeps one named person out (for example, a colleague who
    knows the service user); once any "allowed" entry exists, only the people listed may see the case."""

    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="access_restrictions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_restrictions")
    kind = models.CharField(max_length=10, choices=RestrictionKind.choices)
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service_user", "user"], name="one_restriction_per_person")]

    def __str__(self):
        return f"{self.user} {self.get_kind_display().lower()} on {self.service_user.crn}"

    @property
    def is_excluded(self) -> bool:
        return self.kind == RestrictionKind.EXCLUDED


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The access audit is append-only")

    def delete(self):
        raise TypeError("The access audit is append-only")


class AuditEvent(models.Model):
    """Who looked at or changed which case, from where, and when. Append-only."""

    # Both indexed with occurred_at (Meta.indexes), which serves their own look-ups too: every page writes a row.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    page = models.CharField(max_length=100)  # the URL name, e.g. contacts:log
    title = models.CharField("page title", max_length=100, blank=True)  # what the person saw, e.g. Contacts
    path = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["service_user", "-occurred_at"]), models.Index(fields=["user", "-occurred_at"])]

    def __str__(self):
        return f"{self.user} {self.get_action_display().lower()} {self.path}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The access audit is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The access audit is append-only")

    @property
    def is_denied(self) -> bool:
        return self.action == AuditAction.DENIED


class Session(AbstractBaseSession):
    """A signed-in session (Django's database session, casework.sessions) with the id of its user as a column, so
    that every page reads the session and its user in one statement. A user deleted takes their sessions with
    them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions", null=True, blank=True
    )

    class Meta(AbstractBaseSession.Meta):
        pass
