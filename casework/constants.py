"""Codes and statuses for casework records, as TextChoices so forms and admin share them."""

from django.db import models


class Role(models.TextChoices):
    RESPONSIBLE_OFFICER = "officer", "Responsible officer"
    LINE_MANAGER = "line_manager", "Line manager"
    ADMIN = "admin", "Admin"


class Grade(models.TextChoices):
    PO = "PO", "Probation officer (PO)"
    PSO = "PSO", "Probation services officer (PSO)"
    UPW = "UPW", "Unpaid work supervisor"


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "O", "Other"
    NOT_KNOWN = "N", "Not known"


class OrderType(models.TextChoices):
    COMMUNITY_ORDER = "CO", "Community order"
    SUSPENDED_SENTENCE = "SSO", "Suspended sentence order"
    LICENCE = "LIC", "Licence"


class OrderStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    TERMINATED = "terminated", "Terminated early"
    REVOKED = "revoked", "Revoked"
    BREACHED = "breached", "Breached"
    TRANSFERRED = "transferred", "Transferred"


# How an order can end. "Breached" normally comes from the breach journey (contacts), but an officer may
# record it here with a reason (for example a breach decided by the court before this record existed).
ENDED_STATUSES = (
    OrderStatus.COMPLETED,
    OrderStatus.TERMINATED,
    OrderStatus.REVOKED,
    OrderStatus.BREACHED,
    OrderStatus.TRANSFERRED,
)


class RequirementType(models.TextChoices):
    UNPAID_WORK = "UPW", "Unpaid work"
    RAR = "RAR", "Rehabilitation activity requirement"
    PROGRAMME = "PROG", "Accredited programme"
    CURFEW = "CUR", "Curfew"
    EXCLUSION = "EXC", "Exclusion"
    PROHIBITED_ACTIVITY = "PROH", "Prohibited activity"
    RESIDENCE = "RES", "Residence"
    MENTAL_HEALTH = "MHT", "Mental health treatment"
    DRUG_REHABILITATION = "DRR", "Drug rehabilitation"
    ALCOHOL_TREATMENT = "ATR", "Alcohol treatment"
    ALCOHOL_ABSTINENCE = "AAMR", "Alcohol abstinence and monitoring"


class RequirementStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    TERMINATED = "terminated", "Terminated"


class Relationship(models.TextChoices):
    EX_PARTNER = "ex_partner", "Ex-partner"
    PARTNER = "partner", "Partner"
    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    SIBLING = "sibling", "Brother or sister"
    OTHER_FAMILY = "family", "Other family member"
    FRIEND = "friend", "Friend"
    NEIGHBOUR = "neighbour", "Neighbour"
    EMPLOYER = "employer", "Employer"
    STRANGER = "stranger", "Not known to them"
    OTHER = "other", "Other"


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    IDVA = "idva", "Independent domestic violence adviser (IDVA)"
    MARAC = "marac", "MARAC"
    HOUSING = "housing", "Housing"
    HEALTH = "health", "Health"
    COUNSELLING = "counselling", "Counselling"
    OTHER = "other", "Other"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    ALLOCATED = "allocated", "Responsible officer changed"
    CLOSED = "closed", "Case closed"


class RestrictionKind(models.TextChoices):
    """A named exclusion keeps one person out; once any "allowed" entry exists, only those listed see the case."""

    EXCLUDED = "excluded", "Excluded"
    ALLOWED = "allowed", "Allowed"


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    DENIED = "denied", "Refused access"


class NotificationKind(models.TextChoices):
    """What a notification is about: reminders from the daily sweeps and the Monday summary."""

    CONTACT_DUE = "contact_due", "Contact due"
    CONTACT_OVERDUE = "contact_overdue", "Contact overdue (escalated)"
    APPROVAL_WAITING = "approval_waiting", "Request waiting for a decision"
    ENQUIRY_DUE = "enquiry_due", "Enquiry due"
    ENQUIRY_NOT_REQUESTED = "enquiry_not_requested", "Enquiry not requested (escalated)"
    ENQUIRY_RESPONSE_OVERDUE = "enquiry_response_overdue", "Enquiry response overdue"
    WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"
    ABSENCE_DECISION_OVERDUE = "absence_decision_overdue", "Absence decision overdue (escalated)"
    CASE_ALLOCATED = "case_allocated", "Case allocated to you"
    INDUCTION_DUE = "induction_due", "Induction to arrange"
    REQUEST_DECIDED = "request_decided", "Your request was decided"
    SWEEP_LATE = "sweep_late", "Daily reminders late (for admins)"
