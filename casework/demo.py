"""Demo data for `make run`: two teams, their staff, the worked example and ~40 other cases.

Every case record is written through the casework services, as a person using the service would write it, so
the demo cases carry the same timeline, created-by and validation as real ones. Staff and teams have no
service and are created directly.

Idempotent: every record is found by a natural key (team code, username, CRN) first, so
running it twice creates nothing twice.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from .constants import (
    AgencyType,
    Gender,
    Grade,
    OrderStatus,
    OrderType,
    Relationship,
    RequirementType,
    Role,
)
from .models import (
    AgencyInvolvement,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    RestrainingOrder,
    ServiceUser,
    Team,
    User,
)
from .services import case_record_add, responsible_officer_assign, service_user_create

DEMO_PASSWORD = "casework-demo-2026"
WORKED_EXAMPLE_CRN = "D320001"
NEW_CASE_CRN = "D320002"  # a new case like Michelle's, waiting for the line manager to allocate it

TEAMS = [("NTH", "Northgate team"), ("STH", "Southbank team")]
PDU = "Westshire probation delivery unit"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    grade: str = ""
    team: str = ""


STAFF = [
    DemoUser("admin", "Ada", "Admin", Role.ADMIN),
    DemoUser("manager.north", "Sam", "Okafor", Role.LINE_MANAGER, team="NTH"),
    DemoUser("manager.south", "Priya", "Shah", Role.LINE_MANAGER, team="STH"),
    DemoUser("po.north", "Daniel", "Price", Role.RESPONSIBLE_OFFICER, Grade.PO, "NTH"),
    DemoUser("pso.north", "Jo", "Bennett", Role.RESPONSIBLE_OFFICER, Grade.PSO, "NTH"),
    DemoUser("upw.north", "Lee", "Carter", Role.RESPONSIBLE_OFFICER, Grade.UPW, "NTH"),
    DemoUser("po.south", "Grace", "Adeyemi", Role.RESPONSIBLE_OFFICER, Grade.PO, "STH"),
    DemoUser("pso.south", "Tom", "Hughes", Role.RESPONSIBLE_OFFICER, Grade.PSO, "STH"),
    DemoUser("upw.south", "Maya", "Clarke", Role.RESPONSIBLE_OFFICER, Grade.UPW, "STH"),
]

FIRST_NAMES = {
    Gender.FEMALE: ["Amy", "Chloe", "Danielle", "Emma", "Hannah", "Jade", "Kelly", "Leah", "Sophie", "Zara"],
    Gender.MALE: ["Aaron", "Ben", "Callum", "Dean", "Jamal", "Kieran", "Liam", "Mohammed", "Ryan", "Tyler"],
}
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Collins",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hall",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Novak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Smith",
    "Turner",
    "Walsh",
    "Young",
]
OFFENCES = [
    ("Theft from a shop", False),
    ("Assault by beating", True),
    ("Common assault", True),
    ("Criminal damage", False),
    ("Possession of a controlled drug (class A)", False),
    ("Driving while disqualified", False),
    ("Harassment", True),
    ("Burglary (dwelling)", False),
    ("Assault occasioning actual bodily harm", True),
    ("Fraud by false representation", False),
]
COURTS = ["Westshire Magistrates' Court", "Eastford Magistrates' Court", "Westshire Crown Court"]
STREETS = ["Elm Street", "Mill Lane", "Station Road", "Church View", "Park Avenue", "Victoria Road"]


@contextmanager
def recorded_at(day: date, hour: int = 9, minute: int = 0) -> Iterator[None]:
    """Seed one step of a demo case's history as if it were entered at that moment, so its timeline, its
    allocation date and every "recorded on" read as they happened, not all today (the services stamp what
    they write with django.utils.timezone.now, as do Django's auto_now fields). Only for the demo, which is
    seeded by one management command in one thread; never in a request. Never later than now."""
    real_now = timezone.now
    moment = min(datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone()), real_now())
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


def seed_demo(today: date | None = None) -> dict:
    """Create the demo data that is missing. Returns counts of what was created."""
    today = today or timezone.localdate()
    with transaction.atomic():
        teams, teams_created = _ensure_teams()
        users, users_created = _ensure_staff(teams)
        cases_created = 0
        if not ServiceUser.objects.filter(crn=WORKED_EXAMPLE_CRN).exists():
            _worked_example(today, teams["NTH"], users)
            cases_created += 1
        if not ServiceUser.objects.filter(crn=NEW_CASE_CRN).exists():
            _new_case_like_michelle(today, teams["NTH"], users)
            cases_created += 1
        cases_created += _varied_cases(today, teams, users)
    return {"teams": teams_created, "users": users_created, "cases": cases_created}


# Staff and teams -------------------------------------------------------------------------------------------


def _ensure_teams() -> tuple[dict[str, Team], int]:
    teams, created = {}, 0
    for code, name in TEAMS:
        teams[code], was_created = Team.objects.get_or_create(code=code, defaults={"name": name, "pdu": PDU})
        created += was_created
    return teams, created


def _ensure_staff(teams: dict[str, Team]) -> tuple[dict[str, User], int]:
    users, created = {}, 0
    for spec in STAFF:
        users[spec.username], was_created = _ensure_user(spec, teams)
        created += was_created
    return users, created


def _ensure_user(spec: DemoUser, teams: dict[str, Team]) -> tuple[User, bool]:
    existing = User.objects.filter(username=spec.username).first()
    if existing is not None:
        return existing, False
    user = User.objects.create_user(
        username=spec.username,
        email=f"{spec.username}@example.gov.uk",
        password=DEMO_PASSWORD,
        first_name=spec.first_name,
        last_name=spec.last_name,
        role=spec.role,
        grade=spec.grade,
        is_staff=spec.role == Role.ADMIN,
        is_superuser=spec.role == Role.ADMIN,
    )
    if spec.role == Role.LINE_MANAGER:
        user.managed_teams.add(teams[spec.team])
    elif spec.team:
        user.teams.add(teams[spec.team])
    return user, True


def _add(model, *, actor: User, case: ServiceUser, **values):
    """One record added to a case through the service (a record under an order names it as `order`)."""
    return case_record_add(actor=actor, case=case, model=model, values=values)


def _born(today: date, *, age: int, month: int, day: int) -> date:
    """The date of birth of someone who is `age` today and has a birthday on this month and day."""
    had_birthday = (today.month, today.day) >= (month, day)
    return date(today.year - age - (0 if had_birthday else 1), month, day)


# The worked example and the new case like it ----------------------------------------------------------------


def _worked_example(today: date, team: Team, users: dict) -> ServiceUser:
    """Michelle: the HMI Probation case study (see shared/reference). The line manager opens the case from
    the court's papers and allocates it under the local protocol; the PSO records her mother and the
    agencies involved."""
    manager, officer = users["manager.north"], users["pso.north"]
    sentenced = today - timedelta(weeks=14)
    with recorded_at(sentenced, 15, 30):  # the court's papers, the afternoon of sentence
        michelle = _michelle_from_court_papers(manager, team, today, sentenced)
    with recorded_at(sentenced + timedelta(days=1), 10):
        responsible_officer_assign(
            actor=manager,
            case=michelle,
            officer=officer,
            reason="Local protocol: unpaid-work-only order with domestic abuse and a restraining order "
            "goes to an experienced PSO rather than an unpaid work specialist.",
        )
    with recorded_at(sentenced + timedelta(days=10), 16):  # after induction and the signposting referral
        _michelle_support(michelle, officer, sentenced=sentenced)
    return michelle


def _michelle_from_court_papers(manager: User, team: Team, today: date, sentenced: date) -> ServiceUser:
    michelle = service_user_create(
        actor=manager,
        crn=WORKED_EXAMPLE_CRN,
        team=team,
        first_name="Michelle",
        last_name="Dawson",
        date_of_birth=_born(today, age=32, month=3, day=14),
        gender=Gender.FEMALE,
        address_line_1="Flat 4, 27 Mill Lane",
        town="Westshire",
        postcode="WS1 4AB",
        phone="07700 900 321",
    )
    _upw_domestic_assault(
        michelle,
        manager,
        sentenced=sentenced,
        hours=80,
        offence="Common assault (Criminal Justice Act 1988, s.39)",
        victim="Alex Morgan",
        restrictions="No contact directly or indirectly. Not to attend Alex's home address.",
        victim_notes="Three previous police call-outs during the five-year relationship; Michelle was cited "
        "as the victim in two of them.",
        conditions="Not to contact Alex Morgan directly or indirectly, including through social media.",
        expires_on=sentenced + timedelta(days=2 * 365),
    )
    return michelle


def _michelle_support(case: ServiceUser, officer: User, *, sentenced: date) -> None:
    """Her mother, the police domestic abuse unit's checks and the counselling she was signposted to."""
    _add(
        KeyIndividual,
        actor=officer,
        case=case,
        full_name="Carol Dawson",
        relationship=Relationship.PARENT,
        phone="07700 900 654",
        involve=True,
        notes="Mother. Supportive; Michelle has lived alone since the relationship ended.",
    )
    _add(
        AgencyInvolvement,
        actor=officer,
        case=case,
        agency_type=AgencyType.POLICE,
        organisation="Westshire Police domestic abuse unit",
        contact_name="DC Ruth Ellis",
        contact_details="da.unit@westshire.police.example",
        role="Domestic abuse call-out checks every 8 weeks",
        started_on=sentenced,
    )
    _add(
        AgencyInvolvement,
        actor=officer,
        case=case,
        agency_type=AgencyType.COUNSELLING,
        organisation="Westshire Talking Therapies",
        role="Counselling after the end of the relationship (signposted at induction)",
        started_on=sentenced + timedelta(days=10),
    )


def _upw_domestic_assault(
    case, manager, *, sentenced, hours, offence, victim, restrictions, victim_notes, conditions, expires_on
) -> None:
    """A community order of unpaid work for a domestic assault, with a restraining order for the ex-partner."""
    order = _add(
        Order,
        actor=manager,
        case=case,
        order_type=OrderType.COMMUNITY_ORDER,
        court="Westshire Magistrates' Court",
        sentence_date=sentenced,
        start_date=sentenced,
        expected_end_date=sentenced + timedelta(days=365),
    )
    _add(
        Requirement,
        actor=manager,
        case=case,
        order=order,
        requirement_type=RequirementType.UNPAID_WORK,
        unpaid_work_hours=hours,
    )
    _add(
        Offence,
        actor=manager,
        case=case,
        order=order,
        description=offence,
        offence_date=sentenced - timedelta(weeks=10),
        is_main=True,
        domestic_abuse=True,
    )
    person = _add(
        ProtectedPerson,
        actor=manager,
        case=case,
        full_name=victim,
        relationship=Relationship.EX_PARTNER,
        is_victim=True,
        contact_restrictions=restrictions,
        notes=victim_notes,
    )
    _add(
        RestrainingOrder,
        actor=manager,
        case=case,
        court=order.court,
        made_on=sentenced,
        expires_on=expires_on,
        until_further_order=expires_on is None,
        conditions=conditions,
        protected_people=[person],
    )


def _new_case_like_michelle(today: date, team: Team, users: dict) -> ServiceUser:
    """Sentenced last week; unallocated, so the line manager can allocate it with the protocol."""
    manager = users["manager.north"]
    sentenced = today - timedelta(days=6)
    case = service_user_create(
        actor=manager,
        crn=NEW_CASE_CRN,
        team=team,
        first_name="Kerry",
        last_name="Marsh",
        date_of_birth=date(today.year - 29, 7, 2),
        gender=Gender.FEMALE,
        address_line_1="12 Station Road",
        town="Westshire",
        postcode="WS2 7HJ",
        phone="07700 900 777",
    )
    _upw_domestic_assault(
        case,
        manager,
        sentenced=sentenced,
        hours=100,
        offence="Assault by beating (Criminal Justice Act 1988, s.39)",
        victim="Sam Reid",
        restrictions="No contact directly or indirectly.",
        victim_notes="",
        conditions="Not to contact Sam Reid directly or indirectly.",
        expires_on=None,
    )
    _police_da_checks(case, manager, started_on=sentenced)
    return case


def _police_da_checks(case: ServiceUser, actor: User, *, started_on: date) -> AgencyInvolvement:
    return _add(
        AgencyInvolvement,
        actor=actor,
        case=case,
        agency_type=AgencyType.POLICE,
        organisation="Westshire Police domestic abuse unit",
        role="Domestic abuse call-out checks",
        started_on=started_on,
    )


# The 40 varied cases ----------------------------------------------------------------------------------------
#
# One fixed seed per case: the same demo cases every time, whichever already exist. Each case draws from its
# own random generator in a fixed order, so the steps below must keep drawing in that order.


def _varied_cases(today: date, teams: dict, users: dict) -> int:
    officers = {
        code: [
            u for u in users.values() if u.role == Role.RESPONSIBLE_OFFICER and team.members.filter(pk=u.pk).exists()
        ]
        for code, team in teams.items()
    }
    managers = {"NTH": users["manager.north"], "STH": users["manager.south"]}
    created = 0
    for index in range(40):
        rng = random.Random(f"demo-case-{index}")
        crn = f"{rng.choice('ABCEFGHJKLMNPRSTW')}{rng.randint(100000, 999999)}"
        if ServiceUser.objects.filter(crn=crn).exists():
            continue
        code = "NTH" if index % 2 == 0 else "STH"
        _varied_case(
            rng,
            today,
            crn=crn,
            team=teams[code],
            manager=managers[code],
            officers=[] if index % 9 == 0 else officers[code],  # every ninth case waits to be allocated
        )
        created += 1
    return created


@dataclass(frozen=True)
class Sentence:
    sentenced: date
    order_type: str
    offence: str
    domestic_abuse: bool
    requirements: list


def _varied_case(rng: random.Random, today: date, *, crn: str, team: Team, manager: User, officers: list) -> None:
    """A case opened by the team's line manager with its order and the people around it, then allocated."""
    gender = rng.choice([Gender.FEMALE, Gender.MALE, Gender.MALE])
    first, last = rng.choice(FIRST_NAMES[gender]), rng.choice(LAST_NAMES)
    age_days = rng.randint(18 * 365, 60 * 365)
    sentence = _draw_sentence(rng, today)
    officer = rng.choice(officers) if officers else None
    case = service_user_create(
        actor=manager,
        crn=crn,
        team=team,
        first_name=first,
        last_name=last,
        gender=gender,
        date_of_birth=today - timedelta(days=age_days),
        **_draw_address(rng),
    )
    order = _varied_order(rng, case, manager, sentence)
    if sentence.domestic_abuse:
        _varied_victim(rng, case, manager, court=order.court, sentenced=sentence.sentenced)
        _police_da_checks(case, manager, started_on=sentence.sentenced)
    if rng.random() < 0.4:
        _varied_key_individual(rng, case, manager, last_name=last)
    if officer is not None:
        responsible_officer_assign(actor=manager, case=case, officer=officer, reason="Allocated at sentence")


def _draw_sentence(rng: random.Random, today: date) -> Sentence:
    sentenced = today - timedelta(days=rng.randint(7, 400))
    order_type = rng.choice([OrderType.COMMUNITY_ORDER] * 3 + [OrderType.SUSPENDED_SENTENCE, OrderType.LICENCE])
    offence, domestic_abuse = rng.choice(OFFENCES)
    return Sentence(sentenced, order_type, offence, domestic_abuse, _requirements_for(rng, order_type))


def _draw_address(rng: random.Random) -> dict:
    street = rng.choice(STREETS)
    return {
        "address_line_1": f"{rng.randint(1, 120)} {street}",
        "town": "Westshire",
        "postcode": f"WS{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}",
        "phone": f"07700 900 {rng.randint(100, 999)}",
    }


def _varied_order(rng: random.Random, case: ServiceUser, manager: User, sentence: Sentence) -> Order:
    order = _add(
        Order,
        actor=manager,
        case=case,
        order_type=sentence.order_type,
        court=rng.choice(COURTS),
        sentence_date=sentence.sentenced,
        start_date=sentence.sentenced,
        expected_end_date=sentence.sentenced + timedelta(days=rng.choice([365, 548, 730])),
        status=OrderStatus.ACTIVE,
    )
    for kind, hours, days in sentence.requirements:
        _add(
            Requirement,
            actor=manager,
            case=case,
            order=order,
            requirement_type=kind,
            unpaid_work_hours=hours,
            rar_days=days,
        )
    _add(
        Offence,
        actor=manager,
        case=case,
        order=order,
        description=sentence.offence,
        offence_date=sentence.sentenced - timedelta(days=rng.randint(30, 200)),
        domestic_abuse=sentence.domestic_abuse,
    )
    return order


def _varied_victim(rng: random.Random, case: ServiceUser, manager: User, *, court: str, sentenced: date) -> None:
    """The victim of a domestic abuse offence, protected by a restraining order in most cases."""
    victim = _add(
        ProtectedPerson,
        actor=manager,
        case=case,
        full_name=f"{rng.choice(FIRST_NAMES[Gender.FEMALE])} {rng.choice(LAST_NAMES)}",
        relationship=rng.choice([Relationship.EX_PARTNER, Relationship.PARTNER]),
        is_victim=True,
        contact_restrictions="No contact" if rng.random() < 0.6 else "",
    )
    if rng.random() < 0.6:
        _add(
            RestrainingOrder,
            actor=manager,
            case=case,
            court=court,
            made_on=sentenced,
            expires_on=sentenced + timedelta(days=730),
            conditions=f"Not to contact {victim.full_name}.",
            protected_people=[victim],
        )


def _varied_key_individual(rng: random.Random, case: ServiceUser, manager: User, *, last_name: str) -> None:
    _add(
        KeyIndividual,
        actor=manager,
        case=case,
        full_name=f"{rng.choice(FIRST_NAMES[rng.choice([Gender.FEMALE, Gender.MALE])])} {last_name}",
        relationship=rng.choice([Relationship.PARENT, Relationship.SIBLING, Relationship.FRIEND]),
        involve=rng.random() < 0.8,
    )


def _requirements_for(rng: random.Random, order_type: str) -> list[tuple[str, int | None, int | None]]:
    if order_type == OrderType.LICENCE:
        return []
    options = [
        [(RequirementType.UNPAID_WORK, rng.choice([40, 60, 80, 100, 120, 150, 200]), None)],
        [(RequirementType.RAR, None, rng.choice([10, 15, 20, 30]))],
        [(RequirementType.UNPAID_WORK, rng.choice([60, 80, 100]), None), (RequirementType.RAR, None, 15)],
        [(RequirementType.RAR, None, 20), (RequirementType.ALCOHOL_TREATMENT, None, None)],
        [(RequirementType.CURFEW, None, None), (RequirementType.UNPAID_WORK, 100, None)],
    ]
    return rng.choice(options)
