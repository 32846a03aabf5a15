"""National contact, outcome and enforcement codes, so records map onto the national case record."""

from django.db import models

# A long interview record runs to a few thousand words; 20,000 characters (about 3,500 words) holds it
# with room to spare, while stopping a paste of a whole document into one contact.
NOTES_MAX_LENGTH = 20_000
NOTES_TOO_LONG = "Notes must be 20,000 characters or fewer (about 3,500 words). Put the rest in a second contact"


class ContactType(models.TextChoices):
    COAI = "COAI", "Initial appointment (induction)"
    COAP = "COAP", "Office appointment"
    CHVS = "CHVS", "Home visit"
    COVC = "COVC", "Video contact"
    COPT = "COPT", "Planned phone contact"
    CTOA = "CTOA", "Phone call to service user"
    CTOB = "CTOB", "Phone call from service user"
    CODC = "CODC", "Doorstep contact"
    CUPA = "CUPA", "Unpaid work session"
    CT3A = "CT3A", "Phone call to other person"
    CT3B = "CT3B", "Phone call from other person"
    CIEA = "CIEA", "Contact to external agency"
    CIEB = "CIEB", "Contact from external agency"
    C204 = "C204", "Police liaison"
    C369 = "C369", "Police domestic abuse enquiry requested"
    C515 = "C515", "Police domestic abuse enquiry response received"
    SFGC = "SFGC", "Safeguarding enquiry requested"
    SFRR = "SFRR", "Safeguarding enquiry response received"
    C150 = "C150", "MARAC referral"
    C151 = "C151", "MARAC meeting"
    CVIC = "CVIC", "Victim liaison"
    MO1 = "MO1", "Management oversight"
    # Not found in a public national code list: a local code until confirmed (see LOCAL_CONTACT_TYPES).
    TERM = "TERM", "Termination of supervision (local)"


# Contact codes not confirmed as national: shown with "(local)" in their label.
LOCAL_CONTACT_TYPES = frozenset({ContactType.TERM})
# Contacts the app records itself (the termination contact when a case closes): never logged by hand.
RECORDED_BY_THE_APP = frozenset({ContactType.TERM})


# Contacts the service user attends (or misses): these take an attendance outcome.
ATTENDANCE_TYPES = frozenset(
    {
        ContactType.COAI,
        ContactType.COAP,
        ContactType.CHVS,
        ContactType.COVC,
        ContactType.COPT,
        ContactType.CODC,
        ContactType.CUPA,
    }
)
# Police and children's services checks are recorded as enquiries (risk app), which log these contacts
# themselves: one way to record a check, so the ratings always count it.
ENQUIRY_TYPES = frozenset({ContactType.C369, ContactType.C515, ContactType.SFGC, ContactType.SFRR})
RECORD_AS_ENQUIRY = (
    "Record a police or children's services check as an enquiry (Risk, then Record an enquiry request): "
    "it goes in the contact log too"
)

# Checks on victims' safety made with third parties: victim liaison, MARAC and police liaison. Direct contact
# with a domestic abuse victim is not one (it can put them at risk).
VICTIM_SAFETY_CHECK_TYPES = frozenset({ContactType.CVIC, ContactType.C150, ContactType.C151, ContactType.C204})
# A doorstep contact (CODC) is not a home visit: the officer has not been inside the home.
HOME_VISIT_TYPES = frozenset({ContactType.CHVS})


class WithWhom(models.TextChoices):
    SERVICE_USER = "service_user", "The service user"
    KEY_INDIVIDUAL = "key_individual", "A key individual"
    PROTECTED_PERSON = "protected_person", "A protected person or victim"
    AGENCY = "agency", "Another agency"
    OTHER = "other", "Someone else"


class Outcome(models.TextChoices):
    ATTC = "ATTC", "Attended – complied"
    AFTC = "AFTC", "Attended – failed to comply"
    ATSH = "ATSH", "Attended – sent home (behaviour)"
    ATSS = "ATSS", "Attended – sent home (service issues)"
    AFDA = "AFDA", "Attended – failure deemed acceptable"
    UAAB = "UAAB", "Unacceptable absence"
    AFTA = "AFTA", "Failed to attend (decision pending)"
    AACL = "AACL", "Acceptable absence – court"
    AAEM = "AAEM", "Acceptable absence – employment"
    AAFC = "AAFC", "Acceptable absence – family or childcare"
    AAHO = "AAHO", "Acceptable absence – holiday"
    AAME = "AAME", "Acceptable absence – medical"
    AARE = "AARE", "Acceptable absence – religious"
    RSSR = "RSSR", "Rescheduled – service request"
    RSOF = "RSOF", "Rescheduled – service user request"


ATTENDED = frozenset({Outcome.ATTC, Outcome.AFTC, Outcome.ATSH, Outcome.ATSS, Outcome.AFDA})
# Failures to comply that need an enforcement decision and count towards breach.
FAILURES = frozenset({Outcome.AFTC, Outcome.ATSH, Outcome.UAAB})
ACCEPTABLE_ABSENCES = frozenset({Outcome.AACL, Outcome.AAEM, Outcome.AAFC, Outcome.AAHO, Outcome.AAME, Outcome.AARE})
PENDING = frozenset({Outcome.AFTA})
COMPLIED = frozenset({Outcome.ATTC, Outcome.AFDA}) | ACCEPTABLE_ABSENCES


class EnforcementAction(models.TextChoices):
    """Enforcement codes. The national ones (NATIONAL_CODES) are checked against the national code map in
    ministryofjustice/hmpps-manage-people-on-probation-ui, server/properties/appointment-outcomes/code-map.ts;
    any code not found there is local and is shown with "(local)"."""

    EA02 = "EA02", "First warning letter sent"
    EA03 = "EA03", "Second warning letter sent"
    WIP = "WIP", "Warning given in person"
    EA12 = "EA12", "Decision pending response from person on probation"
    BRE = "BRE", "Breach requested"
    IBR = "IBR", "Breach or recall initiated"
    EA11 = "EA11", "Recall requested"
    LCL = "LCL", "Licence compliance letter sent"
    ROM = "ROM", "Refer to Offender Manager"
    NFA = "NFA", "No further action"
    EA06 = "EA06", "Withdraw warning letter"
    EA07 = "EA07", "Withdrawal of warning"


# Codes in the national code map (see EnforcementAction); every other code is local policy.
NATIONAL_CODES = frozenset(
    {
        EnforcementAction.EA02,
        EnforcementAction.EA03,
        EnforcementAction.EA12,
        EnforcementAction.BRE,
        EnforcementAction.IBR,
        EnforcementAction.EA11,
        EnforcementAction.LCL,
        EnforcementAction.ROM,
        EnforcementAction.NFA,
        EnforcementAction.EA06,
        EnforcementAction.EA07,
    }
)


def enforcement_label(code: str) -> str:
    """The code's words, with "(local)" when it is not a national code."""
    label = EnforcementAction(code).label
    return label if code in NATIONAL_CODES else f"{label} (local)"


def enforcement_choices(codes) -> list[tuple[str, str]]:
    return [(code, enforcement_label(code)) for code in EnforcementAction.values if code in codes]


# A warning under Sentencing Act 2020 Sch 10 para 5 / Sch 16 para 5 (letter or in person).
WARNINGS = frozenset({EnforcementAction.EA02, EnforcementAction.EA03, EnforcementAction.WIP})
# Withdrawing a warning (EA06 for a letter, EA07 otherwise): it then no longer counts towards breach.
WITHDRAWALS = frozenset({EnforcementAction.EA06, EnforcementAction.EA07})
# The court route (community and suspended sentence orders) and the licence route (recall, not a court breach).
COURT_BREACH = frozenset({EnforcementAction.BRE, EnforcementAction.IBR})
LICENCE_ROUTE = frozenset({EnforcementAction.IBR, EnforcementAction.EA11, EnforcementAction.LCL})
# What an officer may choose for a failure: on an order, or on a licence.
ORDER_ACTIONS = WARNINGS | COURT_BREACH | {EnforcementAction.EA12, EnforcementAction.ROM, EnforcementAction.NFA}
LICENCE_ACTIONS = LICENCE_ROUTE | {EnforcementAction.EA12, EnforcementAction.ROM, EnforcementAction.NFA}
FAILURE_ACTIONS = ORDER_ACTIONS | LICENCE_ACTIONS


class AmendmentKind(models.TextChoices):
    CORRECTION = "correction", "Contact amended"
    DECISION = "decision", "Absence decided"
    OUTCOME = "outcome", "Outcome amended"
    RESCHEDULED = "moved", "Appointment rescheduled"
    CANCELLED = "cancelled", "Appointment cancelled"


class MovedBy(models.TextChoices):
    """Who asked for an appointment to move: the national rescheduled outcomes record it."""

    SERVICE = "RSSR", "The probation service"
    SERVICE_USER = "RSOF", "The service user"


class MoveScope(models.TextChoices):
    ONE = "one", "This appointment only"
    REST = "rest", "This and the rest of the series"


class WarningKind(models.TextChoices):
    LETTER = "letter", "Warning letter"
    IN_PERSON = "in_person", "Warning given in person"


class PlanSource(models.TextChoices):
    ORDER = "order", "The order"
    PROTOCOL = "protocol", "Allocation protocol"
    APPROVED_CHANGE = "approved", "Approved change"


FREQUENCY_CHOICES = [(7, "Every week"), (14, "Every 2 weeks"), (28, "Every 4 weeks")]


class Repeat(models.TextChoices):
    NONE = "none", "Does not repeat"
    WEEKLY = "7", "Every week"
    FORTNIGHTLY = "14", "Every 2 weeks"
    FOUR_WEEKLY = "28", "Every 4 weeks"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


REQUEST_STATUS_COLOURS = {
    RequestStatus.PENDING: "yellow",
    RequestStatus.APPROVED: "green",
    RequestStatus.REFUSED: "red",
}


class DueState(models.TextChoices):
    """Whether something is due: past its date, due soon (or today), or not yet."""

    OVERDUE = "overdue", "Overdue"
    DUE = "due", "Due"
    NOT_DUE = "not_due", "Not due"


# Status tag colour for each state (GOV.UK tag modifiers).
DUE_COLOURS = {DueState.OVERDUE: "red", DueState.DUE: "yellow", DueState.NOT_DUE: "green"}


class Channel(models.TextChoices):
    SMS = "sms", "Text"
    EMAIL = "email", "Email"


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before", "The day before"
    ON_THE_DAY = "on_the_day", "On the day"


class ReminderStatus(models.TextChoices):
    """Our own states (scheduled, cancelled) and GOV.UK Notify's delivery statuses."""

    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Not delivered – check the number or address"
    TEMPORARY_FAILURE = "temporary-failure", "Not delivered – phone off or inbox full"
    TECHNICAL_FAILURE = "technical-failure", "Not delivered – technical problem"
    CANCELLED = "cancelled", "Cancelled – the appointment moved or was cancelled"
    NOT_SENT = "not-sent", "Not sent – refused by GOV.UK Notify"


REMINDER_STATUS_COLOURS = {
    ReminderStatus.SCHEDULED: "blue",
    ReminderStatus.SENDING: "yellow",
    ReminderStatus.DELIVERED: "green",
    ReminderStatus.PERMANENT_FAILURE: "red",
    ReminderStatus.TEMPORARY_FAILURE: "orange",
    ReminderStatus.TECHNICAL_FAILURE: "orange",
    ReminderStatus.CANCELLED: "grey",
    ReminderStatus.NOT_SENT: "red",
}
# Notify's final statuses: a receipt can move a message out of "sending" into one of these.
RECEIPT_STATUSES = frozenset(
    {
        ReminderStatus.DELIVERED,
        ReminderStatus.PERMANENT_FAILURE,
        ReminderStatus.TEMPORARY_FAILURE,
        ReminderStatus.TECHNICAL_FAILURE,
    }
)


# Outcomes as an officer looks for them: under these headings, in this order.
OUTCOME_GROUPS = [
    ("Attended", ATTENDED),
    ("Acceptable absence", ACCEPTABLE_ABSENCES),
    ("Unacceptable absence", frozenset({Outcome.UAAB, Outcome.AFTA})),
    ("Rescheduled", frozenset({Outcome.RSSR, Outcome.RSOF})),
]


class BreachResult(models.TextChoices):
    """What the court did on a breach of a community order (Sentencing Act 2020 Sch 10 paras 10 and 11) or a
    suspended sentence order (Sch 16 paras 13 and 14)."""

    CONTINUED = "continued", "Order continued"
    AMENDED = "amended", "Order amended"
    REVOKED = "revoked", "Order revoked and resentenced"
    FINE = "fine", "Fine"


class BreachStage(models.TextChoices):
    REFERRED = "referred", "Referred for breach"
    REPORTED = "reported", "Breach report submitted"
    LISTED = "listed", "Court hearing listed"
    RESULTED = "resulted", "Court result recorded"


class RecallStage(models.TextChoices):
    RECOMMENDED = "recommended", "Waiting for countersignature"
    COUNTERSIGNED = "countersigned", "Countersigned: waiting for the decision"
    DECIDED = "decided", "Decided"


class RecallDecision(models.TextChoices):
    RECALLED = "recalled", "Recalled to custody"
    NOT_RECALLED = "not_recalled", "Not recalled (for example, a further warning)"


class LetterKind(models.TextChoices):
    WARNING = "warning", "Warning letter"
    BREACH_SUMMARY = "breach_summary", "Breach referral summary"
