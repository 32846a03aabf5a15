"""The breach and recall journeys as pure rules: which route a failure takes, and whether each step's dates and
order make sense. No ORM: unit-tested without a database (tests/contacts/test_breach_rules.py).

Sources: a community order or suspended sentence order is breached at court (Sentencing Act 2020, Schedule 10
Part 2 and Schedule 16 Part 2): the responsible officer refers the failure to an enforcement officer, who lays the
breach before the court with a report; the court continues the order, amends it, revokes it and resentences, or
fines (Sch 10 paras 10 and 11, Sch 16 paras 13 and 14). A licence is not breached at court: the Secretary of
State recalls (Criminal Justice Act 2003, section 254), on the probation recommendation countersigned by a
manager (HMPPS Recall, Review and Re-release of Recalled Prisoners Policy Framework)."""

from datetime import date

from casework.constants import OrderType

COURT_ORDERS = frozenset({OrderType.COMMUNITY_ORDER, OrderType.SUSPENDED_SENTENCE})

BREACH_FOR_LICENCE = "A licence is not breached at court. Recommend a recall instead"
RECALL_FOR_ORDER = (
    "Recall is for licences only. A failure on a community or suspended sentence order is referred for breach"
)


def _words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def route_problem(order_type: str, *, recall: bool) -> str:
    """Why this route is wrong for the order: court breach for community and suspended sentence orders, recall
    for a licence. Empty when it is right."""
    if recall and order_type != OrderType.LICENCE:
        return RECALL_FOR_ORDER
    if not recall and order_type not in COURT_ORDERS:
        return BREACH_FOR_LICENCE
    return ""


def referral_date_problem(referred_on: date, *, failure_on: date, today: date) -> str:
    if referred_on > today:
        return "The date referred must be today or in the past"
    if referred_on < failure_on:
        return f"The referral cannot be before the failure it is for, on {_words(failure_on)}"
    return ""


def report_date_problem(submitted_on: date, *, referred_on: date, today: date) -> str:
    if submitted_on > today:
        return "The date the breach report was submitted must be today or in the past"
    if submitted_on < referred_on:
        return f"The breach report cannot be submitted before the referral, on {_words(referred_on)}"
    return ""


def hearing_date_problem(hearing_on: date, *, today: date) -> str:
    """A hearing date is entered when the court lists it: it cannot already have passed."""
    if hearing_on < today:
        return "The hearing date must be today or in the future"
    return ""


def result_date_problem(result_on: date, *, hearing_on: date, today: date) -> str:
    if result_on < hearing_on:
        return f"The result cannot be before the hearing, on {_words(hearing_on)}"
    if result_on > today:
        return "The date of the result must be today or in the past"
    return ""


def countersign_problem(*, signer_id: int, recommended_by_id: int, already_countersigned: bool) -> str:
    """A recall recommendation is countersigned once, by a manager who did not make it."""
    if already_countersigned:
        return "This recall recommendation has already been countersigned"
    if signer_id == recommended_by_id:
        return "You cannot countersign your own recall recommendation. Another line manager of the team must"
    return ""


def decision_date_problem(decided_on: date, *, recommended_on: date, today: date) -> str:
    if decided_on > today:
        return "The date of the decision must be today or in the past"
    if decided_on < recommended_on:
        return f"The decision cannot be before the recommendation, on {_words(recommended_on)}"
    return ""


def hearing_tag(hearing_on: date, today: date) -> tuple[str, str]:
    """The "What's due" tag for a listed hearing: the result is to record once the day has come."""
    if hearing_on < today:
        return "Result to record", "red"
    if hearing_on == today:
        return "Hearing today", "yellow"
    return "Hearing listed", "blue"
