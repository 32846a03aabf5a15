"""The "Delivering to keep people safe" criteria engine (HM Inspectorate of Probation).

Pure functions over a plain snapshot of a case and an evaluation date: no ORM, no request.
Every threshold comes from a `Thresholds` value (a versioned rule set an admin can view), so
nothing here is a magic number, and each has its source in THRESHOLD_SOURCES. HMIP's guide names
what an inspector looks for but gives no numbers, so most are local policy. HMIP answers each
question yes or no; "partly met" is a local extension that shows a shortfall before it becomes a
"no". A case nobody has seen is never "met": judgements rest on contact that happened.
"""

from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from casework.constants import AgencyType
from contacts.constants import DUE_COLOURS, DueState

from .constants import ROSH_ORDER, EnquiryKind, Rating, RoshLevel

CONTACT, VICTIMS, AGENCIES, KEY_INDIVIDUALS, HOME_VISITS = (
    "contact",
    "victims",
    "agencies",
    "key_individuals",
    "home_visits",
)
CRITERIA = {
    CONTACT: "Contact sufficient to manage and minimise the risk of harm",
    VICTIMS: "Sufficient attention to protecting actual and potential victims",
    AGENCIES: "Other agencies involved and coordinated",
    KEY_INDIVIDUALS: "Key individuals engaged where appropriate",
    HOME_VISITS: "Home visiting where necessary",
}


@dataclass(frozen=True)
class Thresholds:
    """Rule set values. Stored as JSON in risk.CriteriaRuleSet; these are version 1's defaults."""

    # Longest gap between contacts proportionate to each RoSH level, in days.
    max_contact_interval_low: int = 28
    max_contact_interval_medium: int = 14
    max_contact_interval_high: int = 7
    max_contact_interval_very_high: int = 7
    # Domestic abuse, a restraining order or child protection concerns cap the gap at this.
    max_contact_interval_with_flags: int = 14
    # Default enquiry interval when no schedule has been set for a case that needs one.
    default_enquiry_interval: int = 56
    # Days after an enquiry falls due before it counts as late.
    enquiry_grace_days: int = 14
    # A home visit within this many days, where one is necessary.
    home_visit_window: int = 84
    # Contact with an involved key individual within this many days.
    key_individual_window: int = 84
    # A third-party check on victims' safety (police, children's services, IDVA/MARAC, victim liaison).
    victim_check_window: int = 84
    # The induction: first seen within this many days of allocation or the order's start, whichever is later.
    induction_days: int = 5
    # RoSH screened within this many days of the order's start.
    rosh_screening_days: int = 15
    # The first police and children's services checks by this many days after allocation or the order's start.
    start_checks_days: int = 5
    # First home visit within this many days of the order's start, by RoSH (unscreened counts as high).
    first_home_visit_high: int = 15
    first_home_visit_medium: int = 42
    first_home_visit_low: int = 84
    # Unpaid work at risk of missing its completion date (Sentencing Act 2020 Sch 9 para 1: 12 months unless
    # extended): the hours left need more than this many hours a week in the time left...
    upw_hours_per_week: int = 6
    # ...or the date is this close with hours still to do.
    upw_warning_days: int = 28

    @classmethod
    def from_dict(cls, values: dict) -> "Thresholds":
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in values.items() if k in known})

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def max_interval_for(self, rosh: str | None, flagged: bool) -> int:
        by_level = {
            RoshLevel.LOW: self.max_contact_interval_low,
            RoshLevel.MEDIUM: self.max_contact_interval_medium,
            RoshLevel.HIGH: self.max_contact_interval_high,
            RoshLevel.VERY_HIGH: self.max_contact_interval_very_high,
        }
        limit = by_level.get(rosh or RoshLevel.LOW, self.max_contact_interval_low)
        return min(limit, self.max_contact_interval_with_flags) if flagged else limit

    def first_home_visit_for(self, rosh: str | None) -> int:
        if rosh == RoshLevel.LOW:
            return self.first_home_visit_low
        if rosh == RoshLevel.MEDIUM:
            return self.first_home_visit_medium
        return self.first_home_visit_high  # high, very high, and not yet screened: err towards risk


THRESHOLD_LABELS = {
    "max_contact_interval_low": "Longest gap between contacts at low RoSH",
    "max_contact_interval_medium": "Longest gap between contacts at medium RoSH",
    "max_contact_interval_high": "Longest gap between contacts at high RoSH",
    "max_contact_interval_very_high": "Longest gap between contacts at very high RoSH",
    "max_contact_interval_with_flags": "Longest gap between contacts with domestic abuse, a restraining order or "
    "child protection concerns",
    "default_enquiry_interval": "Gap between enquiries when no schedule is set",
    "enquiry_grace_days": "Days an enquiry may run late before it counts against the case",
    "home_visit_window": "A home visit within (where one is necessary)",
    "key_individual_window": "Contact with a key individual within",
    "victim_check_window": "A third-party check on victims' safety within",
    "induction_days": "Induction (first seen) within, from allocation or the order's start",
    "rosh_screening_days": "RoSH screened within, from the order's start",
    "start_checks_days": "First police and children's services checks by, from allocation or the order's start",
    "first_home_visit_high": "First home visit within, at high or very high RoSH (or not yet screened)",
    "first_home_visit_medium": "First home visit within, at medium RoSH",
    "first_home_visit_low": "First home visit within, at low RoSH",
    "upw_hours_per_week": "Unpaid work: hours a week the hours left may need before the case is flagged at risk of "
    "missing its 12-month date",
    "upw_warning_days": "Unpaid work: flag hours still to do this many days before the 12-month date",
}

LOCAL_POLICY = "Local policy"
HOME_VISITS_POLICY = "HMPPS Home Visits Policy Framework (2021): mandatory timescales from the start of supervision"
# Where each number comes from. HMIP's "Delivering to keep people safe" gives none of them.
THRESHOLD_SOURCES = {name: LOCAL_POLICY for name in THRESHOLD_LABELS} | {
    "first_home_visit_high": HOME_VISITS_POLICY,
    "first_home_visit_medium": HOME_VISITS_POLICY,
    "first_home_visit_low": HOME_VISITS_POLICY,
}


def is_local(threshold: str) -> bool:
    return THRESHOLD_SOURCES[threshold] == LOCAL_POLICY


@dataclass(frozen=True)
class EnquiryFacts:
    kind: EnquiryKind
    last_requested: date | None = None
    last_received: date | None = None
    overdue_responses: int = 0  # requested, response due date passed, nothing received
    interval_days: int | None = None  # the case's schedule, if one is set


@dataclass(frozen=True)
class CaseSnapshot:
    """What the criteria need to know about one case, as plain values."""

    crn: str
    rosh: str | None = None
    domestic_abuse: bool = False  # DA offence or DA perpetrator flag
    child_protection: bool = False
    restraining_order_in_force: bool = False
    restraining_order_protects: int = 0  # protected people named on orders in force
    protected_people: int = 0
    risk_to_known_adult: bool = False
    risk_to_children: bool = False
    mappa_level: str = ""  # "" not MAPPA, or "1" to "3"
    mappa_category: str = ""  # "" or "1" to "4"
    order_start: date | None = None  # earliest start of the orders in force
    allocated_on: date | None = None  # the current responsible officer's allocation
    upw_only: bool = False  # every requirement in force is unpaid work: attended sessions are contact
    plan_frequency_days: int | None = None
    plan_start: date | None = None
    last_contact: date | None = None  # last attended national-standard contact
    last_upw_session: date | None = None  # last attended unpaid work session
    last_home_visit: date | None = None  # doorstep contacts are not home visits
    last_victim_check: date | None = None  # third-party only: victim liaison, MARAC, an IDVA or police contact
    key_individuals: int = 0
    key_individuals_to_involve: int = 0
    last_key_individual_contact: date | None = None
    agency_types: frozenset = frozenset()  # agencies currently involved
    enquiries: dict = field(default_factory=dict)  # kind -> EnquiryFacts
    risk_review_open: bool = False
    check_trigger: str = ""  # the latest change recorded that calls for both checks again
    check_triggered_on: date | None = None
    closed_on: date | None = None  # the case closed when its last order ended: it is no longer rated

    @property
    def flagged(self) -> bool:
        return self.domestic_abuse or self.restraining_order_in_force or self.child_protection

    @property
    def supervision_start(self) -> date | None:
        """When the induction clock starts: allocation or the order's start, whichever is later."""
        starts = [d for d in (self.order_start, self.allocated_on) if d]
        return max(starts) if starts else None

    @property
    def last_seen(self) -> date | None:
        """The last contact that counts: for an order of unpaid work only, attended sessions count too."""
        seen = [d for d in (self.last_contact, self.last_upw_session if self.upw_only else None) if d]
        return max(seen) if seen else None

    @property
    def seen_on_this_order(self) -> bool:
        return self.last_seen is not None and (self.order_start is None or self.last_seen >= self.order_start)


@dataclass(frozen=True)
class CriterionResult:
    key: str
    rating: Rating
    evidence: tuple[str, ...] = ()
    recommendation: str = ""
    # Where to look or act: names of case pages ("contacts", "risk", "people", ...).
    links: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return CRITERIA[self.key]

    @property
    def label(self) -> str:
        return Rating(self.rating).label

    @property
    def colour(self) -> str:
        return RATING_COLOURS[self.rating]


RATING_COLOURS = {
    Rating.MET: "green",
    Rating.PARTLY_MET: "yellow",
    Rating.NOT_MET: "red",
    Rating.NOT_APPLICABLE: "grey",
}


def _days(since: date | None, today: date) -> int | None:
    return None if since is None else (today - since).days


def _when(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "never"


def enquiry_status(facts: EnquiryFacts, interval: int, t: Thresholds, today: date) -> tuple[Rating, str]:
    """(rating, evidence) for one kind of enquiry against its schedule."""
    name = "police domestic abuse enquiry" if facts.kind == EnquiryKind.DOMESTIC_ABUSE else "safeguarding enquiry"
    if facts.last_requested is None:
        return Rating.NOT_MET, f"No {name} has been requested"
    gap = _days(facts.last_requested, today)
    evidence = f"Last {name} requested {_when(facts.last_requested)} ({gap} days ago; due every {interval} days)"
    if facts.overdue_responses:
        return Rating.PARTLY_MET, evidence + f"; {facts.overdue_responses} response(s) overdue"
    if gap <= interval + t.enquiry_grace_days:
        return Rating.MET, evidence
    if gap <= 2 * interval:
        return Rating.PARTLY_MET, evidence
    return Rating.NOT_MET, evidence


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _worst(ratings) -> Rating:
    for rating in (Rating.NOT_MET, Rating.PARTLY_MET, Rating.MET):
        if rating in ratings:
            return rating
    return Rating.NOT_APPLICABLE


def _start_checks(s: CaseSnapshot, t: Thresholds, today: date) -> tuple[list, list, list]:
    """The induction and the RoSH screening: (ratings, evidence, advice). A case never seen on its order
    is never met; once the induction is late it is not met."""
    ratings, evidence, advice = [], [], []
    start = s.supervision_start
    if not s.seen_on_this_order:
        due = start + timedelta(days=t.induction_days) if start else None
        evidence.append(f"Not seen yet on this order: induction due by {_when(due)}")
        ratings.append(Rating.NOT_MET if due is None or today > due else Rating.PARTLY_MET)
        advice.append("Arrange the induction")
    if s.rosh is None:
        due = s.order_start + timedelta(days=t.rosh_screening_days) if s.order_start else None
        evidence.append(f"RoSH not screened (due by {_when(due)})")
        ratings.append(Rating.NOT_MET if due is None or today > due else Rating.PARTLY_MET)
        advice.append("complete the RoSH screening")
    return ratings, evidence, advice


def contact_criterion(s: CaseSnapshot, t: Thresholds, today: date) -> CriterionResult:
    """Judged on contact that happened: the gap runs from the last contact whatever the plan history, so a
    new plan never wipes a gap."""
    ratings, evidence, advice = _start_checks(s, t, today)
    if ratings:
        return CriterionResult(CONTACT, _worst(ratings), tuple(evidence), _sentence(advice), ("appointments", "risk"))
    if s.plan_frequency_days is None:
        return CriterionResult(
            CONTACT,
            Rating.NOT_MET,
            ("No contact plan is set",),
            "Set a contact plan proportionate to the risk of harm",
            ("contact_plan",),
        )
    needed = t.max_interval_for(s.rosh, s.flagged)
    overdue = max(_days(s.last_seen, today) - s.plan_frequency_days, 0)
    evidence = [
        f"Contact plan: every {s.plan_frequency_days} days",
        f"Last contact: {_when(s.last_seen)}" + (" (unpaid work sessions count)" if s.upw_only else ""),
        f"RoSH {s.rosh.replace('_', ' ')}"
        + ("; domestic abuse, restraining order or child protection flags" if s.flagged else "")
        + f": contact at least every {needed} days (local policy)",
    ]
    if overdue:
        evidence.append(f"Contact is {overdue} days overdue")
    proportionate = s.plan_frequency_days <= needed
    if not proportionate:
        evidence.append(f"The plan allows {s.plan_frequency_days} days between contacts; {needed} are proportionate")
    if overdue > s.plan_frequency_days or (overdue and not proportionate):
        return CriterionResult(
            CONTACT,
            Rating.NOT_MET,
            tuple(evidence),
            "See the service user now and keep to the contact plan",
            ("contacts", "appointments"),
        )
    if overdue:
        return CriterionResult(
            CONTACT,
            Rating.PARTLY_MET,
            tuple(evidence),
            "Contact is overdue: arrange an appointment this week",
            ("appointments",),
        )
    if not proportionate:
        return CriterionResult(
            CONTACT,
            Rating.PARTLY_MET,
            tuple(evidence),
            f"Request contact at least every {needed} days from your line manager",
            ("contact_plan",),
        )
    return CriterionResult(CONTACT, Rating.MET, tuple(evidence), "", ("contacts",))


def victims_criterion(s: CaseSnapshot, t: Thresholds, today: date) -> CriterionResult:
    if not (
        s.domestic_abuse
        or s.restraining_order_in_force
        or s.protected_people
        or s.risk_to_known_adult
        or s.risk_to_children
    ):
        return CriterionResult(
            VICTIMS,
            Rating.NOT_APPLICABLE,
            ("No identified victim, domestic abuse, restraining order, or known adult or children at risk",),
        )
    evidence = [f"Protected people recorded: {s.protected_people}"]
    if s.restraining_order_in_force:
        evidence.append(f"Restraining order in force, naming {s.restraining_order_protects} protected person(s)")
        if s.restraining_order_protects == 0:
            return CriterionResult(
                VICTIMS,
                Rating.NOT_MET,
                tuple(evidence),
                "Record the person the restraining order protects and add them to the order",
                ("people",),
            )
    if s.protected_people == 0:
        return CriterionResult(
            VICTIMS,
            Rating.NOT_MET,
            tuple(evidence),
            "Record the actual and potential victims as protected people",
            ("people",),
        )
    if s.risk_review_open:
        evidence.append("New incidents reported: a risk review is open")
        return CriterionResult(
            VICTIMS,
            Rating.PARTLY_MET,
            tuple(evidence),
            "Record the risk review: check the victims' safety after the new incidents",
            ("risk",),
        )
    # Only checks with third parties count: talking to a domestic abuse victim directly is not a safety
    # check and can put them at risk (HMPPS domestic abuse policy; see the domain notes).
    responses = [facts.last_received for facts in s.enquiries.values()]
    checks = [d for d in (*responses, s.last_victim_check) if d]
    last_check = max(checks) if checks else None
    evidence.append(
        "Last third-party check on victims' safety (police or children's services response, IDVA, MARAC or "
        f"victim liaison): {_when(last_check)}"
    )
    if last_check is None or _days(last_check, today) > t.victim_check_window:
        return CriterionResult(
            VICTIMS,
            Rating.PARTLY_MET,
            tuple(evidence),
            "Check the victims are safe and any order is being kept: request a police domestic abuse enquiry, or "
            "contact victim liaison or the IDVA",
            ("risk",),
        )
    return CriterionResult(VICTIMS, Rating.MET, tuple(evidence), "", ("people", "risk"))


CHECK_NAMES = {
    EnquiryKind.DOMESTIC_ABUSE: "police domestic abuse check",
    EnquiryKind.SAFEGUARDING: "children's services safeguarding check",
}


def _first_checks(s: CaseSnapshot, t: Thresholds, today: date) -> tuple[list, list, list]:
    """Every case needs both checks at court or allocation, not only cases already flagged (HMPPS policy;
    see the domain notes). A check made before the order started counts."""
    ratings, evidence, advice = [], [], []
    start = s.supervision_start
    due = start + timedelta(days=t.start_checks_days) if start else None
    for kind, name in CHECK_NAMES.items():
        if s.enquiries.get(kind, EnquiryFacts(kind)).last_requested is None:
            ratings.append(Rating.NOT_MET if due is None or today > due else Rating.PARTLY_MET)
            evidence.append(f"No {name} yet: due at court or allocation, by {_when(due)}")
            advice.append(f"request the {name}")
    return ratings, evidence, advice


def _triggered_checks(s: CaseSnapshot, t: Thresholds, today: date) -> tuple[list, list, list]:
    """A change the officer recorded (new relationship, address, contact with children, incident) calls for
    both checks again, from the day it was learned of; past start_checks_days it is not met."""
    ratings, evidence, advice = [], [], []
    if s.check_triggered_on is None:
        return ratings, evidence, advice
    for kind, name in CHECK_NAMES.items():
        last = s.enquiries.get(kind, EnquiryFacts(kind)).last_requested
        if last is not None and last < s.check_triggered_on:
            late = today > s.check_triggered_on + timedelta(days=t.start_checks_days)
            ratings.append(Rating.NOT_MET if late else Rating.PARTLY_MET)
            evidence.append(f"{s.check_trigger} recorded {_when(s.check_triggered_on)}: the {name} is due again")
            advice.append(f"request the {name} again")
    return ratings, evidence, advice


def _repeat_checks(s: CaseSnapshot, t: Thresholds, today: date) -> tuple[list, list, list]:
    """Both checks repeat during the order on the case's schedule, or the rule set's default interval where
    none was set (the same dates risk.due gives "What's due" and the reminders)."""
    ratings, evidence, advice = [], [], []
    for kind, name in CHECK_NAMES.items():
        facts = s.enquiries.get(kind, EnquiryFacts(kind))
        if facts.last_requested is None:
            continue  # the first check: _first_checks
        rating, line = enquiry_status(facts, facts.interval_days or t.default_enquiry_interval, t, today)
        ratings.append(rating)
        evidence.append(line)
        if rating != Rating.MET:
            advice.append(f"request a {name} now")
    return ratings, evidence, advice


def agencies_criterion(s: CaseSnapshot, t: Thresholds, today: date) -> CriterionResult:
    parts = (_first_checks(s, t, today), _triggered_checks(s, t, today), _repeat_checks(s, t, today))
    ratings, evidence, advice = (a + b + c for a, b, c in zip(*parts, strict=True))
    needed = []
    if s.domestic_abuse or s.restraining_order_in_force:
        needed.append((AgencyType.POLICE, "Police"))
    if s.child_protection:
        needed.append((AgencyType.CHILDRENS_SOCIAL_CARE, "Children's social care"))
    for agency_type, agency_name in needed:
        if agency_type not in s.agency_types:
            ratings.append(Rating.PARTLY_MET)
            evidence.append(f"{agency_name} not recorded as an agency involved")
            advice.append(f"record {agency_name.lower()} as an agency involved")
    if not ratings:
        ratings.append(Rating.MET)
        evidence.append(
            "Police and children's services checked at the start"
            + (f"; agencies involved: {len(s.agency_types)}" if s.agency_types else "")
        )
    return CriterionResult(AGENCIES, _worst(ratings), tuple(evidence), _sentence(advice), ("risk", "people"))


def key_individuals_criterion(s: CaseSnapshot, t: Thresholds, today: date) -> CriterionResult:
    if s.key_individuals_to_involve == 0:
        evidence = (f"Key individuals recorded: {s.key_individuals}, none to involve",)
        return CriterionResult(
            KEY_INDIVIDUALS,
            Rating.NOT_APPLICABLE,
            evidence,
            "" if s.key_individuals else "Record anyone who could support managing the risk",
            ("people",),
        )
    evidence = (
        f"Key individuals to involve: {s.key_individuals_to_involve}",
        f"Last contact with a key individual: {_when(s.last_key_individual_contact)}",
    )
    gap = _days(s.last_key_individual_contact, today)
    if gap is not None and gap <= t.key_individual_window:
        return CriterionResult(KEY_INDIVIDUALS, Rating.MET, evidence, "", ("contacts",))
    return CriterionResult(
        KEY_INDIVIDUALS,
        Rating.PARTLY_MET,
        evidence,
        "Speak to the key individuals recorded to involve them in managing the risk",
        ("people", "contacts"),
    )


def home_visit_needed(s: CaseSnapshot) -> str | None:
    """Why a home visit is necessary, or None."""
    if s.child_protection:
        return "child protection concerns"
    if ROSH_ORDER.get(s.rosh or RoshLevel.LOW, 0) >= ROSH_ORDER[RoshLevel.HIGH]:
        return "high or very high RoSH"
    if s.domestic_abuse and ROSH_ORDER.get(s.rosh or RoshLevel.LOW, 0) >= ROSH_ORDER[RoshLevel.MEDIUM]:
        return "domestic abuse with medium or higher RoSH"
    return None


def home_visits_criterion(s: CaseSnapshot, t: Thresholds, today: date) -> CriterionResult:
    """A first home visit within the HMPPS timescale for the RoSH level from the order's start; after that,
    repeat visits where the risk makes them necessary (home_visit_needed)."""
    if s.order_start is None:
        return CriterionResult(HOME_VISITS, Rating.NOT_APPLICABLE, ("No order in force",))
    window = t.first_home_visit_for(s.rosh)
    due = s.order_start + timedelta(days=window)
    level = (s.rosh or "not screened").replace("_", " ")
    evidence = [
        f"First home visit due within {window} days of the order's start at RoSH {level}: by {_when(due)} "
        "(HMPPS Home Visits Policy Framework)",
        f"Last home visit: {_when(s.last_home_visit)} (doorstep contacts do not count)",
    ]
    if s.last_home_visit is None or s.last_home_visit < s.order_start:
        rating = Rating.NOT_MET if today > due else Rating.PARTLY_MET
        return CriterionResult(
            HOME_VISITS, rating, tuple(evidence), f"Arrange the first home visit by {_when(due)}", ("appointments",)
        )
    reason = home_visit_needed(s)
    if reason is None:
        return CriterionResult(HOME_VISITS, Rating.MET, tuple(evidence), "", ("contacts",))
    evidence.append(f"Further home visits needed every {t.home_visit_window} days (local policy): {reason}")
    gap = _days(s.last_home_visit, today)
    if gap <= t.home_visit_window:
        return CriterionResult(HOME_VISITS, Rating.MET, tuple(evidence), "", ("contacts",))
    rating = Rating.PARTLY_MET if gap <= 2 * t.home_visit_window else Rating.NOT_MET
    return CriterionResult(HOME_VISITS, rating, tuple(evidence), "Arrange a home visit", ("appointments",))


RULES = (contact_criterion, victims_criterion, agencies_criterion, key_individuals_criterion, home_visits_criterion)


def evaluate(snapshot: CaseSnapshot, today: date, thresholds: Thresholds | None = None) -> list[CriterionResult]:
    """Rate the case against each of the five criteria."""
    if snapshot.closed_on is not None:
        return [closed_result(key, snapshot.closed_on) for key in CRITERIA]
    t = thresholds or Thresholds()
    return [rule(snapshot, t, today) for rule in RULES]


def closed_result(key: str, closed_on: date) -> CriterionResult:
    """A closed case is not rated: supervision has ended, so there is nothing to meet."""
    return CriterionResult(
        key, Rating.NOT_APPLICABLE, (f"Case closed on {closed_on.day} {closed_on:%B %Y}: not rated",)
    )


@dataclass(frozen=True)
class CriterionCount:
    key: str
    met: int
    applicable: int

    @property
    def title(self) -> str:
        return CRITERIA[self.key]

    @property
    def percent_met(self) -> int | None:
        return round(100 * self.met / self.applicable) if self.applicable else None


def team_counts(results: list[list[CriterionResult]]) -> list[CriterionCount]:
    """Per criterion: cases met and cases it applies to, the way an inspection reports it."""
    counts = []
    for index, key in enumerate(CRITERIA):
        ratings = [case[index].rating for case in results]
        applicable = [r for r in ratings if r != Rating.NOT_APPLICABLE]
        counts.append(CriterionCount(key, met=sum(r == Rating.MET for r in applicable), applicable=len(applicable)))
    return counts


def next_enquiry_due(
    *, interval_days: int, schedule_start: date, last_requested: date | None, triggered_on: date | None = None
) -> date:
    """An interval after the last request, whenever the schedule was set: a check made at court, before the
    schedule or the order began, counts, and the criteria engine (enquiry_status) reads the same date. With no
    request yet, the first is due when the schedule starts."""
    due = schedule_start if last_requested is None else last_requested + timedelta(days=interval_days)
    if triggered_on and (last_requested is None or last_requested < triggered_on):
        due = min(due, triggered_on)  # a change the officer recorded calls for the check now
    return due


def enquiry_actions(*, today: date, due_on: date, remind_days_before: int, escalate_after_days: int) -> list[str]:
    if today < due_on - timedelta(days=remind_days_before):
        return []
    actions = ["request"]
    if (today - due_on).days > escalate_after_days:
        actions.append("escalate")
    return actions


@dataclass(frozen=True)
class EnquiryDue:
    """When a case's next enquiry of one kind is due, and what that calls for today."""

    kind: EnquiryKind
    due_on: date
    status: DueState  # overdue (past due_on), due (within the reminder window or due today) or not due
    escalate: bool = False  # not requested escalate_after_days after it fell due: the line manager is told

    @property
    def label(self) -> str:
        return DueState(self.status).label

    @property
    def kind_label(self) -> str:
        return EnquiryKind(self.kind).label

    @property
    def colour(self) -> str:
        return DUE_COLOURS[self.status]

    @property
    def needs_action(self) -> bool:
        return self.status != DueState.NOT_DUE


def enquiry_due(
    *,
    kind: str,
    interval_days: int,
    schedule_start: date,
    last_requested: date | None,
    today: date,
    remind_days_before: int,
    escalate_after_days: int,
    triggered_on: date | None = None,
) -> EnquiryDue:
    """The next enquiry of a schedule (next_enquiry_due) and what it calls for today (enquiry_actions)."""
    due_on = next_enquiry_due(
        interval_days=interval_days,
        schedule_start=schedule_start,
        last_requested=last_requested,
        triggered_on=triggered_on,
    )
    actions = enquiry_actions(
        today=today, due_on=due_on, remind_days_before=remind_days_before, escalate_after_days=escalate_after_days
    )
    status = DueState.NOT_DUE if not actions else DueState.OVERDUE if due_on < today else DueState.DUE
    return EnquiryDue(kind=kind, due_on=due_on, status=status, escalate="escalate" in actions)


@dataclass(frozen=True)
class UnpaidWorkRisk:
    """Unpaid work at risk of not being completed by its date (12 months, or as extended by the court)."""

    complete_by: date
    overdue: bool
    message: str


def upw_at_risk(
    *, complete_by: date, remaining_minutes: int, today: date, t: Thresholds | None = None
) -> UnpaidWorkRisk | None:
    """Flag unpaid work ahead of its completion date: when the date has passed with hours left, when it is within
    the warning days with hours left, or when the hours left need more than the weekly rate in the days left
    (counting today and the last day). Both numbers are local policy (Thresholds); the date is statute."""
    t = t or Thresholds()
    if remaining_minutes <= 0:
        return None
    hours = remaining_minutes / 60
    left = f"{hours:g} hours left" if hours != int(hours) else f"{int(hours)} hours left"
    when = f"{complete_by.day} {complete_by:%B %Y}"
    if today > complete_by:
        return UnpaidWorkRisk(complete_by, True, f"{left}: the date to complete them, {when}, has passed")
    days_left = (complete_by - today).days + 1
    if days_left <= t.upw_warning_days:
        return UnpaidWorkRisk(complete_by, False, f"{left} and {days_left} days to complete them by {when}")
    if remaining_minutes > days_left * t.upw_hours_per_week * 60 / 7:
        return UnpaidWorkRisk(
            complete_by, False, f"{left}: more than {t.upw_hours_per_week} hours a week to complete them by {when}"
        )
    return None
