"""Demo contacts: Michelle's approved weekly contact and a run of attended contacts, and a varied
history for the other demo cases. Idempotent: a case that already has a contact plan is left alone.

Every contact goes through the contact services, as the officer would record it: appointments are arranged
and then their outcomes recorded; contacts that were never appointments (a call, a referral) are logged; the
contact plan is set, and a change to it requested and decided."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from casework.constants import AgencyType, OrderStatus, OrderType, Role
from casework.demo import recorded_at
from casework.models import ServiceUser, User
from casework.services import order_end

from . import enforcement, reminders, rules, selectors, services
from .constants import WARNINGS, Channel, ContactType, EnforcementAction, Outcome, PlanSource, WithWhom
from .models import Contact
from .selectors import LOCAL_TZ

OFFICE = "Westshire probation office"
UPW_PROJECT = "Westshire community garden project"
MICHELLE_MOBILE = "07700 900321"  # Ofcom's drama range: never a real person's number


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def seed_contacts(*, today: date, worked_example_crn: str) -> int:
    seeded = 0
    cases = ServiceUser.objects.filter(contact_plans__isnull=True, responsible_officer__isnull=False).select_related(
        "team", "responsible_officer"
    )
    with transaction.atomic():
        varied = []
        for case in cases.order_by("crn"):
            if case.crn == worked_example_crn:
                _michelle(case, today)
            else:
                _varied(case, today, random.Random(f"demo-contacts-{case.crn}"))
                varied.append(case)
            seeded += 1
        _enforcement_example(varied, today)
        _completed_order_example(varied, today)
        _breach_example(varied, today)
        _recall_example(varied, today)
    return seeded


def _enforcement_example(cases: list, today: date) -> None:
    """One community order case with a warning in force (given two days after the failure) and a failure
    to attend still waiting for a decision."""
    for case in cases:
        orders = selectors.order_periods(case)
        order = rules.order_in_force(orders, today - timedelta(days=20))
        if order is None or order.is_licence or order.starts_on > today - timedelta(days=30):
            continue
        if [w for w in selectors.warnings_given(case, orders) if w.order_id == order.pk and w.covers(today)]:
            continue
        officer = case.responsible_officer
        (missed,) = _arrange(officer, case, ContactType.COAP, [_at(today - timedelta(days=20), 15)], 45)
        services.contact_outcome_record(
            actor=officer,
            contact=missed,
            outcome=Outcome.UAAB,
            enforcement_action=EnforcementAction.EA02,
            notes="No reply to calls or the letter asking why",
            warning_given_on=today - timedelta(days=18),
        )
        (pending,) = _arrange(officer, case, ContactType.COAP, [_at(today - timedelta(days=3), 15)], 45)
        services.contact_outcome_record(actor=officer, contact=pending, outcome=Outcome.AFTA)
        return


def _completed_order_example(cases: list, today: date) -> None:
    """A closed case: the one community order of the longest-running case with no warning ends (completed if its
    expected end has passed, else terminated early for good progress), which closes the case."""
    candidates = [
        case
        for case in cases
        if case.orders.count() == 1
        and case.orders.filter(
            order_type=OrderType.COMMUNITY_ORDER, start_date__lte=today - timedelta(days=200)
        ).exists()
        and not case.warnings.exists()
    ]
    if not candidates:
        return
    case = min(candidates, key=lambda c: (c.orders.get().start_date, c.crn))
    order = case.orders.get()
    ended_on = today - timedelta(days=2)
    completed = order.expected_end_date <= ended_on
    order_end(
        actor=case.responsible_officer,
        order_id=order.pk,
        status=OrderStatus.COMPLETED if completed else OrderStatus.TERMINATED,
        ended_on=min(order.expected_end_date, ended_on) if completed else ended_on,
        reason="All requirements completed" if completed else "Terminated early for good progress, on application",
    )


def _new_failure(case: ServiceUser, day: date, action: str) -> Contact:
    officer = case.responsible_officer
    (missed,) = _arrange(officer, case, ContactType.COAP, [_at(day, 11)], 45)
    return services.contact_outcome_record(
        actor=officer,
        contact=missed,
        outcome=Outcome.UAAB,
        enforcement_action=action,
        notes="Did not attend and gave no reason when asked",
    )


def _case_with_order(cases: list, today: date, *, licence: bool) -> ServiceUser | None:
    """A case whose order in force started over 40 days ago, on a licence or not, with no breach or recall yet."""
    for case in cases:
        order = rules.order_in_force(selectors.order_periods(case), today - timedelta(days=25))
        if order and order.is_licence == licence and order.starts_on <= today - timedelta(days=40):
            if not case.breaches.exists() and not case.recalls.exists():
                return case
    return None


def _breach_example(cases: list, today: date) -> None:
    """A community or suspended sentence order breached: referred, the report submitted, the hearing listed in
    two weeks (in "What's due" until the court's result is recorded)."""
    case = _case_with_order(cases, today, licence=False)
    if case is None:
        return
    officer = case.responsible_officer
    failure = _new_failure(case, today - timedelta(days=25), EnforcementAction.BRE)
    breach = enforcement.breach_refer(
        actor=officer,
        contact=failure,
        referred_on=today - timedelta(days=23),
        reason="A further unacceptable absence after earlier failures; no contact since despite letters and calls",
    )
    enforcement.breach_report_submit(actor=officer, breach=breach, submitted_on=today - timedelta(days=20))
    enforcement.breach_hearing_set(
        actor=officer, breach=breach, hearing_on=today + timedelta(days=14), court="Westshire Magistrates' Court"
    )


def _recall_example(cases: list, today: date) -> None:
    """A licence recall recommended by the officer, waiting for the line manager's countersignature."""
    case = _case_with_order(cases, today, licence=True)
    if case is None:
        return
    failure = _new_failure(case, today - timedelta(days=6), EnforcementAction.EA11)
    enforcement.recall_recommend(
        actor=case.responsible_officer,
        contact=failure,
        reasons="Missed two appointments, left the approved address and has not been in touch; risk to his "
        "former partner is rising",
        recommended_on=today - timedelta(days=5),
    )


def _manager(case: ServiceUser) -> User | None:
    return case.team.managers.filter(role=Role.LINE_MANAGER).first()


def _arrange(officer: User, case: ServiceUser, contact_type: str, starts: list, minutes: int, **details) -> list:
    """Appointments arranged by the officer: one, or a repeating series when given several starts."""
    return services.appointments_arrange(
        actor=officer,
        case=case,
        contact_type=contact_type,
        starts=starts,
        duration=timedelta(minutes=minutes),
        location=details.get("location", OFFICE),
        notes=details.get("notes", ""),
        sensitive=False,
    )


def _attended(officer: User, appointment: Contact, notes: str = "") -> Contact:
    return services.contact_outcome_record(actor=officer, contact=appointment, outcome=Outcome.ATTC, notes=notes)


# Michelle, the worked example ------------------------------------------------------------------------------


def _michelle(case: ServiceUser, today: date) -> None:
    """Induction, the signposting referral, the weekly contact her officer asked for and the line manager
    agreed, and every Saturday since: unpaid work, then a short office contact. Each step is recorded when it
    happened (casework.demo.recorded_at), so her timeline reads as her order went."""
    officer = case.responsible_officer
    start = case.orders.get().start_date
    with recorded_at(start + timedelta(days=1), 10, 5):
        services.contact_plan_set(actor=officer, case=case, frequency_days=14, source=PlanSource.ORDER, starts_on=start)
    _michelle_induction(case, officer, start)
    _michelle_home_visit(case, officer, start)
    _weekly_contact_agreed(case, officer, _manager(case), start)
    saturday = _michelle_saturdays(case, officer, start, today)
    _michelle_mother_called(case, officer, today)
    # She agreed to text reminders of her appointments last week (issue 20), so next Saturday's gets them.
    with recorded_at(saturday - timedelta(days=7), 14, 50):
        reminders.preferences_set(actor=officer, case=case, mobile=MICHELLE_MOBILE, email="")
        reminders.consent_set(actor=officer, case=case, channel=Channel.SMS, consented=True)
    # Next Saturday's session, arranged after last week's and not yet happened.
    with recorded_at(saturday - timedelta(days=7), 15):
        _arrange(officer, case, ContactType.CUPA, [_at(saturday, 9)], 5 * 60, location=UPW_PROJECT)


def _michelle_induction(case: ServiceUser, officer: User, start: date) -> None:
    with recorded_at(start + timedelta(days=1), 10, 15):  # arranged the day she was allocated
        (induction,) = _arrange(officer, case, ContactType.COAI, [_at(start + timedelta(days=3), 10)], 60)
    with recorded_at(start + timedelta(days=3), 11, 10):
        _attended(
            officer,
            induction,
            "Induction. Michelle was upset and tearful; the relationship breakdown has been traumatic and she is "
            "devastated by the restraining order. Accepts she had been contacting Alex repeatedly. Explained the "
            "order and the restraining order conditions. Signposted to Westshire Talking Therapies for counselling.",
        )
    with recorded_at(start + timedelta(days=10), 14, 30):
        services.contact_log(
            actor=officer,
            case=case,
            contact_type=ContactType.CIEA,
            starts_at=_at(start + timedelta(days=10), 14),
            with_whom=WithWhom.AGENCY,
            agency=case.agencies.get(agency_type=AgencyType.COUNSELLING),
            notes="Signposting referral sent to Westshire Talking Therapies with Michelle's consent.",
        )


def _michelle_home_visit(case: ServiceUser, officer: User, start: date) -> None:
    """A first home visit within the HMPPS timescale for low RoSH (12 weeks)."""
    with recorded_at(start + timedelta(days=3), 11, 15):  # arranged at induction
        (visit,) = _arrange(officer, case, ContactType.CHVS, [_at(start + timedelta(days=12), 11)], 45)
    with recorded_at(start + timedelta(days=12), 12, 30):
        _attended(
            officer,
            visit,
            "Home visit to Flat 4, 27 Mill Lane. Lives alone; flat tidy. No sign of Alex's belongings or contact. "
            "Michelle says she has blocked Alex on social media.",
        )


def _weekly_contact_agreed(case: ServiceUser, officer: User, manager: User, start: date) -> None:
    """The officer's own judgement, agreed by the line manager in week three (the HMIP worked example)."""
    with recorded_at(start + timedelta(days=19), 16):
        request = services.contact_change_request(
            actor=officer,
            case=case,
            frequency_days=7,
            starts_on=start + timedelta(days=21),
            reason="Unpaid-work-only order, but domestic abuse with a restraining order in force. Michelle has "
            "offered to meet after her unpaid work sessions; weekly contact lets me monitor risk and give "
            "low-level support while she struggles with the end of the relationship.",
        )
    with recorded_at(start + timedelta(days=20), 9):
        services.contact_change_decide(
            actor=manager,
            request=request,
            approve=True,
            comment="Agreed: proportionate to the risk.",
            decided_at=_at(start + timedelta(days=20), 9),
        )


def _michelle_saturdays(case: ServiceUser, officer: User, start: date, today: date) -> date:
    """Saturday unpaid work, then a short office contact afterwards, every week up to last week, arranged as two
    weekly series and each attended. Returns the first Saturday not yet worked."""
    saturdays = []
    saturday = start + timedelta(days=(5 - start.weekday()) % 7 + 7)
    while saturday < today:
        saturdays.append(saturday)
        saturday += timedelta(days=7)
    if not saturdays:
        return saturday
    with recorded_at(start + timedelta(days=3), 11, 20):  # both series arranged at induction
        sessions = _arrange(
            officer, case, ContactType.CUPA, [_at(d, 9) for d in saturdays], 5 * 60, location=UPW_PROJECT
        )
        meetings = _arrange(officer, case, ContactType.COAP, [_at(d, 14, 30) for d in saturdays], 20)
    for session, meeting in zip(sessions, meetings, strict=True):
        day = timezone.localtime(session.starts_at).date()
        with recorded_at(day, 14, 10):  # the supervisor's hours, logged as the session ends
            _attended(officer, session)
        with recorded_at(day, 15):
            _attended(
                officer,
                meeting,
                "Brief contact after unpaid work. No contact with Alex reported. Mood improving; has attended "
                "counselling.",
            )
    return saturday


def _michelle_mother_called(case: ServiceUser, officer: User, today: date) -> None:
    mother = case.key_individuals.first()
    if mother is None:
        return
    with recorded_at(today - timedelta(days=18), 13, 25):
        services.contact_log(
            actor=officer,
            case=case,
            contact_type=ContactType.CT3A,
            starts_at=_at(today - timedelta(days=18), 13),
            with_whom=WithWhom.KEY_INDIVIDUAL,
            key_individual=mother,
            notes="Spoke to Michelle's mother with Michelle's consent. No concerns about contact with Alex; she "
            "is supporting Michelle to attend counselling.",
        )


# The other demo cases ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    contact_type: str
    outcome: str
    enforcement_action: str = ""


def _varied(case: ServiceUser, today: date, rng: random.Random) -> None:
    """The order's contact plan and appointments kept since, mostly attended, with the odd absence; a warning
    for the first unacceptable absence and breach for the next. Some cases fall overdue."""
    officer = case.responsible_officer
    order = case.orders.first()
    if order is None:
        return
    frequency = rng.choice([7, 14, 14, 28])
    services.contact_plan_set(
        actor=officer, case=case, frequency_days=frequency, source=PlanSource.ORDER, starts_on=order.start_date
    )
    day = order.start_date + timedelta(days=rng.randint(2, 5))
    last_day = today - timedelta(days=rng.choice([1, 3, 10, 25, 40]))  # some cases fall overdue
    warned = False
    licence = order.order_type == OrderType.LICENCE
    while day < last_day:
        result = _draw_result(rng, warned=warned, licence=licence)
        warned = warned or bool(result.enforcement_action)
        (appointment,) = _arrange(officer, case, result.contact_type, [_at(day, 10)], 45)
        services.contact_outcome_record(
            actor=officer,
            contact=appointment,
            outcome=result.outcome,
            enforcement_action=result.enforcement_action,
            warning_given_on=day if result.enforcement_action in WARNINGS else None,
        )
        day += timedelta(days=frequency)
    if rng.random() < 0.3:  # an appointment that happened but has no outcome yet
        _arrange(officer, case, ContactType.COAP, [_at(today - timedelta(days=2), 14)], 60, location="")
    _arrange(officer, case, ContactType.COAP, [_at(today + timedelta(days=rng.randint(1, 10)), 11)], 60)


def _draw_result(rng: random.Random, *, warned: bool, licence: bool = False) -> Result:
    """What happened at one appointment. Draws in a fixed order, so the same seed gives the same history.
    An order's first unacceptable absence is warned and the next goes to breach; a licence's first gets a
    licence compliance letter and the next starts recall."""
    roll = rng.random()
    outcome, action = Outcome.ATTC, ""
    if roll < 0.08:
        first, then = (
            (EnforcementAction.LCL, EnforcementAction.IBR)
            if licence
            else (EnforcementAction.EA02, EnforcementAction.BRE)
        )
        outcome, action = Outcome.UAAB, (then if warned else first)
    elif roll < 0.14:
        outcome = rng.choice([Outcome.AAME, Outcome.AAEM, Outcome.AAFC])
    contact_type = rng.choice([ContactType.COAP, ContactType.COAP, ContactType.CHVS, ContactType.COVC])
    return Result(contact_type, outcome, action)
