"""Demo data for `make run`: two teams, their staff, the worked example and ~40 other cases.

Idempotent: every record is found by a natural key (team code, username, CRN) first, so
running it twice creates nothing twice.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .constants import (
    AgencyType,
    EventKind,
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
from .services import record_case_event, responsible_officer_assign

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


def seed_demo(today: date | None = None) -> dict:
    """Create the demo data that is missing. Returns counts of what was created."""
    today = today or timezone.localdate()
    created = {"teams": 0, "users": 0, "cases": 0}
    with transaction.atomic():
        teams = {}
        for code, name in TEAMS:
            teams[code], was_created = Team.objects.get_or_create(code=code, defaults={"name": name, "pdu": PDU})
            created["teams"] += was_created
        users = {}
        for spec in STAFF:
            users[spec.username], was_created = _ensure_user(spec, teams)
            created["users"] += was_created
        if not ServiceUser.objects.filter(crn=WORKED_EXAMPLE_CRN).exists():
            _worked_example(today, teams["NTH"], users)
            created["cases"] += 1
        if not ServiceUser.objects.filter(crn=NEW_CASE_CRN).exists():
            _new_case_like_michelle(today, teams["NTH"], users)
            created["cases"] += 1
        created["cases"] += _varied_cases(today, teams, users)
    return created


def _ensure_user(spec: DemoUser, teams: dict) -> tuple[User, bool]:
    user, was_created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@example.gov.uk",
            "role": spec.role,
            "grade": spec.grade,
            "is_staff": spec.role == Role.ADMIN,
            "is_superuser": spec.role == Role.ADMIN,
        },
    )
    if was_created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if spec.role == Role.LINE_MANAGER:
            user.managed_teams.add(teams[spec.team])
        elif spec.team:
            user.teams.add(teams[spec.team])
    return user, was_created


def _worked_example(today: date, team: Team, users: dict) -> ServiceUser:
    """Michelle: the HMI Probation case study (see shared/reference)."""
    manager, officer = users["manager.north"], users["pso.north"]
    sentenced = today - timedelta(weeks=14)
    michelle = ServiceUser.objects.create(
        crn=WORKED_EXAMPLE_CRN,
        first_name="Michelle",
        last_name="Dawson",
        date_of_birth=date(today.year - 32, 3, 14)
        if (today.month, today.day) >= (3, 14)
        else date(today.year - 33, 3, 14),
        gender=Gender.FEMALE,
        address_line_1="Flat 4, 27 Mill Lane",
        town="Westshire",
        postcode="WS1 4AB",
        phone="07700 900 321",
        team=team,
        created_by=manager,
        updated_by=manager,
    )
    record_case_event(actor=manager, case=michelle, kind=EventKind.CREATED, summary="Case created", record=michelle)
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
    KeyIndividual.objects.create(
        service_user=michelle,
        full_name="Carol Dawson",
        relationship=Relationship.PARENT,
        phone="07700 900 654",
        involve=True,
        notes="Mother. Supportive; Michelle has lived alone since the relationship ended.",
        created_by=officer,
    )
    AgencyInvolvement.objects.create(
        service_user=michelle,
        agency_type=AgencyType.POLICE,
        organisation="Westshire Police domestic abuse unit",
        contact_name="DC Ruth Ellis",
        contact_details="da.unit@westshire.police.example",
        role="Domestic abuse call-out checks every 8 weeks",
        started_on=sentenced,
        created_by=officer,
    )
    AgencyInvolvement.objects.create(
        service_user=michelle,
        agency_type=AgencyType.COUNSELLING,
        organisation="Westshire Talking Therapies",
        role="Counselling after the end of the relationship (signposted at induction)",
        started_on=sentenced + timedelta(days=10),
        created_by=officer,
    )
    responsible_officer_assign(
        actor=manager,
        case=michelle,
        officer=officer,
        reason="Local protocol: unpaid-work-only order with domestic abuse and a restraining order "
        "goes to an experienced PSO rather than an unpaid work specialist.",
    )
    return michelle


def _upw_domestic_assault(
    case, manager, *, sentenced, hours, offence, victim, restrictions, victim_notes, conditions, expires_on
) -> None:
    """A community order of unpaid work for a domestic assault, with a restraining order for the ex-partner."""
    order = Order.objects.create(
        service_user=case,
        order_type=OrderType.COMMUNITY_ORDER,
        court="Westshire Magistrates' Court",
        sentence_date=sentenced,
        start_date=sentenced,
        expected_end_date=sentenced + timedelta(days=365),
        created_by=manager,
    )
    Requirement.objects.create(
        order=order, requirement_type=RequirementType.UNPAID_WORK, unpaid_work_hours=hours, created_by=manager
    )
    Offence.objects.create(
        order=order,
        description=offence,
        offence_date=sentenced - timedelta(weeks=10),
        is_main=True,
        domestic_abuse=True,
        created_by=manager,
    )
    person = ProtectedPerson.objects.create(
        service_user=case,
        full_name=victim,
        relationship=Relationship.EX_PARTNER,
        is_victim=True,
        contact_restrictions=restrictions,
        notes=victim_notes,
        created_by=manager,
    )
    restraining = RestrainingOrder.objects.create(
        service_user=case,
        court=order.court,
        made_on=sentenced,
        expires_on=expires_on,
        until_further_order=expires_on is None,
        conditions=conditions,
        created_by=manager,
    )
    restraining.protected_people.add(person)


def _new_case_like_michelle(today: date, team: Team, users: dict) -> ServiceUser:
    """Sentenced last week; unallocated, so the line manager can allocate it with the protocol."""
    manager = users["manager.north"]
    sentenced = today - timedelta(days=6)
    case = ServiceUser.objects.create(
        crn=NEW_CASE_CRN,
        first_name="Kerry",
        last_name="Marsh",
        date_of_birth=date(today.year - 29, 7, 2),
        gender=Gender.FEMALE,
        address_line_1="12 Station Road",
        town="Westshire",
        postcode="WS2 7HJ",
        phone="07700 900 777",
        team=team,
        created_by=manager,
    )
    record_case_event(actor=manager, case=case, kind=EventKind.CREATED, summary="Case created", record=case)
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
    AgencyInvolvement.objects.create(
        service_user=case,
        agency_type=AgencyType.POLICE,
        organisation="Westshire Police domestic abuse unit",
        role="Domestic abuse call-out checks",
        started_on=sentenced,
        created_by=manager,
    )
    return case


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
        # One fixed seed per case: the same demo cases every time, whichever already exist.
        rng = random.Random(f"demo-case-{index}")
        crn = f"{rng.choice('ABCEFGHJKLMNPRSTW')}{rng.randint(100000, 999999)}"
        if ServiceUser.objects.filter(crn=crn).exists():
            continue
        gender = rng.choice([Gender.FEMALE, Gender.MALE, Gender.MALE])
        first, last = rng.choice(FIRST_NAMES[gender]), rng.choice(LAST_NAMES)
        code = "NTH" if index % 2 == 0 else "STH"
        age_days = rng.randint(18 * 365, 60 * 365)
        sentenced = today - timedelta(days=rng.randint(7, 400))
        order_type = rng.choice([OrderType.COMMUNITY_ORDER] * 3 + [OrderType.SUSPENDED_SENTENCE, OrderType.LICENCE])
        offence, is_da = rng.choice(OFFENCES)
        requirements = _requirements_for(rng, order_type)
        officer = None if index % 9 == 0 else rng.choice(officers[code])
        street = rng.choice(STREETS)
        manager = managers[code]
        case = ServiceUser.objects.create(
            crn=crn,
            first_name=first,
            last_name=last,
            gender=gender,
            date_of_birth=today - timedelta(days=age_days),
            address_line_1=f"{rng.randint(1, 120)} {street}",
            town="Westshire",
            postcode=f"WS{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}",
            phone=f"07700 900 {rng.randint(100, 999)}",
            team=teams[code],
            created_by=manager,
        )
        record_case_event(actor=manager, case=case, kind=EventKind.CREATED, summary="Case created", record=case)
        order = Order.objects.create(
            service_user=case,
            order_type=order_type,
            court=rng.choice(COURTS),
            sentence_date=sentenced,
            start_date=sentenced,
            expected_end_date=sentenced + timedelta(days=rng.choice([365, 548, 730])),
            status=OrderStatus.ACTIVE,
            created_by=manager,
        )
        for kind, hours, days in requirements:
            Requirement.objects.create(
                order=order, requirement_type=kind, unpaid_work_hours=hours, rar_days=days, created_by=manager
            )
        Offence.objects.create(
            order=order,
            description=offence,
            offence_date=sentenced - timedelta(days=rng.randint(30, 200)),
            domestic_abuse=is_da,
            created_by=manager,
        )
        if is_da:
            victim = ProtectedPerson.objects.create(
                service_user=case,
                full_name=f"{rng.choice(FIRST_NAMES[Gender.FEMALE])} {rng.choice(LAST_NAMES)}",
                relationship=rng.choice([Relationship.EX_PARTNER, Relationship.PARTNER]),
                is_victim=True,
                contact_restrictions="No contact" if rng.random() < 0.6 else "",
                created_by=manager,
            )
            if rng.random() < 0.6:
                restraining = RestrainingOrder.objects.create(
                    service_user=case,
                    court=order.court,
                    made_on=sentenced,
                    expires_on=sentenced + timedelta(days=730),
                    conditions=f"Not to contact {victim.full_name}.",
                    created_by=manager,
                )
                restraining.protected_people.add(victim)
            AgencyInvolvement.objects.create(
                service_user=case,
                agency_type=AgencyType.POLICE,
                organisation="Westshire Police domestic abuse unit",
                role="Domestic abuse call-out checks",
                started_on=sentenced,
                created_by=manager,
            )
        if rng.random() < 0.4:
            KeyIndividual.objects.create(
                service_user=case,
                full_name=f"{rng.choice(FIRST_NAMES[rng.choice([Gender.FEMALE, Gender.MALE])])} {last}",
                relationship=rng.choice([Relationship.PARENT, Relationship.SIBLING, Relationship.FRIEND]),
                involve=rng.random() < 0.8,
                created_by=manager,
            )
        if officer is not None:
            responsible_officer_assign(actor=manager, case=case, officer=officer, reason="Allocated at sentence")
        created += 1
    return created


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
