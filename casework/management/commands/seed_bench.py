"""Fill the database with a national-scale dataset for benchmarks, fast.

scale 1 = 5,000 service users, 100,000 contacts, 50 officers in 5 teams; scale 10 is ten times that and
scale 50 (250,000 cases, 5,000,000 contacts) is about the national probation caseload.
Rows go in with bulk inserts (COPY for contacts on PostgreSQL), never one ORM save per row, a batch of
cases at a time, each batch in its own transaction: memory stays flat whatever the scale (contacts are
written straight into the COPY buffer, never built as objects), and PostgreSQL's queue of deferred
foreign-key checks is emptied at every commit rather than growing to millions of rows.
On PostgreSQL the contacts table's secondary indexes and foreign keys are dropped before the load and made
again after it (contacts_indexed_after_the_load).
Every bench user's password is the demo password. Run it on an empty database.
"""

import csv
import io
import json
import random
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from allocation.models import OfficerProfile
from casework.constants import AgencyType, Gender, Grade, OrderType, Relationship, RequirementType, Role
from casework.demo import DEMO_PASSWORD
from casework.models import (
    AgencyInvolvement,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    ResponsibleOfficerAssignment,
    RestrainingOrder,
    ServiceUser,
    Team,
    User,
)
from contacts.constants import ContactType, Outcome, PlanSource, WithWhom
from contacts.models import Contact, ContactChangeRequest, ContactPlan
from risk.constants import EnquiryKind, EnquiryResult, RoshLevel, ScheduleSource
from risk.models import Enquiry, EnquirySchedule, RiskAssessment

BATCH = 2500  # cases a transaction: a few thousand ORM objects in memory at a time
CO, UPW = OrderType.COMMUNITY_ORDER, RequirementType.UNPAID_WORK
CONTACT_TYPES = [
    ContactType.COAP,
    ContactType.COAP,
    ContactType.COAP,
    ContactType.CHVS,
    ContactType.COVC,
    ContactType.COPT,
    ContactType.CUPA,
    ContactType.CT3A,
    ContactType.CIEA,
]
SEEN = {ContactType.COAP, ContactType.CHVS, ContactType.COVC, ContactType.COPT}  # national standard contacts
# Caseloads vary between teams as they do in a region: in every five teams one small team holds
# about 8% of the cases (about 400 cases, 40 per officer) and the largest about 30%.
TEAM_SHARES = [0.08, 0.16, 0.22, 0.24, 0.30]


class Command(BaseCommand):
    help = "Seed a benchmark dataset: --scale 1 is 5,000 cases and 100,000 contacts; 50 is the national caseload."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)

    def handle(self, *args, scale: int, **options):
        if ServiceUser.objects.exists() or User.objects.filter(username__startswith="bench.").exists():
            # Batches commit as they go, so a seed that failed half-way has left its part behind.
            raise CommandError("seed_bench needs an empty database (it is for benchmark databases only): recreate it")
        started = time.monotonic()
        rng = random.Random(scale)
        today = timezone.localdate()
        password = make_password(DEMO_PASSWORD)
        with transaction.atomic():
            teams = Team.objects.bulk_create(
                [Team(code=f"B{i:03d}", name=f"Bench team {i}", pdu=f"Bench PDU {i // 10}") for i in range(5 * scale)]
            )
            officers, managers = [], []
            for t in range(len(teams)):
                managers.append(
                    User(
                        username=f"bench.manager.{t}",
                        first_name="Manager",
                        last_name=f"T{t}",
                        role=Role.LINE_MANAGER,
                        password=password,
                        email=f"m{t}@example.gov.uk",
                    )
                )
                for o in range(10):
                    officers.append(
                        User(
                            username=f"bench.officer.{t}.{o}",
                            first_name="Officer",
                            last_name=f"T{t}-{o}",
                            role=Role.RESPONSIBLE_OFFICER,
                            grade=[Grade.PO, Grade.PSO, Grade.UPW][o % 3],
                            password=password,
                            email=f"o{t}.{o}@example.gov.uk",
                        )
                    )
            User.objects.bulk_create(managers + officers)
            managers = list(User.objects.filter(username__startswith="bench.manager.").order_by("id"))
            officers = list(User.objects.filter(username__startswith="bench.officer.").order_by("id"))
            Membership = User.teams.through
            Managed = User.managed_teams.through
            Membership.objects.bulk_create(
                [Membership(user_id=o.pk, team_id=teams[i // 10].pk) for i, o in enumerate(officers)]
            )
            Managed.objects.bulk_create([Managed(user_id=m.pk, team_id=teams[i].pk) for i, m in enumerate(managers)])
            OfficerProfile.objects.bulk_create(
                [OfficerProfile(user=o, experience_years=rng.randint(0, 15)) for o in officers]
            )
        with contacts_indexed_after_the_load():
            self._cases(rng, today, teams, officers, scale)
        self.stdout.write(
            f"Seeded scale {scale} in {time.monotonic() - started:.0f}s: "
            f"{ServiceUser.objects.count()} cases, {Contact.objects.count()} contacts, "
            f"{len(officers)} officers in {len(teams)} teams"
        )

    def _cases(self, rng, today, teams, officers, scale):
        now = timezone.now()
        total = 5000 * scale
        for start in range(0, total, BATCH):
            cases = []
            for i in range(start, min(start + BATCH, total)):
                t = 5 * rng.randrange(scale) + rng.choices(range(5), weights=TEAM_SHARES)[0]
                team, officer = teams[t], officers[10 * t + rng.randrange(10)]
                cases.append(
                    ServiceUser(
                        crn=f"{'BCDFGHJKLMNPRSTVWXYZ'[i // 1000000]}{i % 1000000:06d}",
                        first_name=rng.choice(FIRST),
                        last_name=rng.choice(LAST),
                        date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000)),
                        gender=rng.choice([Gender.FEMALE, Gender.MALE, Gender.MALE]),
                        town="Benchton",
                        team_id=team.pk,
                        responsible_officer_id=officer.pk,
                    )
                )
            with transaction.atomic():
                cases = ServiceUser.objects.bulk_create(cases)
                self._records(rng, today, now, cases)

    def _records(self, rng, today, now, cases):
        orders, assignments, plans, risks, people, agencies, schedules = [], [], [], [], [], [], []
        for case in cases:
            sentenced = today - timedelta(days=rng.randint(10, 500))
            orders.append(
                Order(
                    service_user=case,
                    order_type=rng.choice([CO, CO, CO, OrderType.SUSPENDED_SENTENCE, OrderType.LICENCE]),
                    court="Bench Magistrates' Court",
                    sentence_date=sentenced,
                    start_date=sentenced,
                    expected_end_date=sentenced + timedelta(days=730),
                )
            )
            assignments.append(
                ResponsibleOfficerAssignment(
                    service_user=case,
                    officer_id=case.responsible_officer_id,
                    started_at=now - timedelta(days=30),
                    reason="Bench",
                )
            )
            plans.append(
                ContactPlan(
                    service_user=case,
                    frequency_days=rng.choice([7, 14, 28]),
                    source=PlanSource.ORDER,
                    starts_on=sentenced,
                )
            )
            risks.append(
                RiskAssessment(
                    service_user=case,
                    rosh_level=rng.choice([RoshLevel.LOW, RoshLevel.LOW, RoshLevel.MEDIUM, RoshLevel.HIGH]),
                    assessed_on=sentenced,
                    review_on=sentenced + timedelta(days=180),
                    domestic_abuse_perpetrator=rng.random() < 0.3,
                )
            )
        orders = Order.objects.bulk_create(orders)
        ResponsibleOfficerAssignment.objects.bulk_create(assignments)
        ContactPlan.objects.bulk_create(plans)
        RiskAssessment.objects.bulk_create(risks)
        requirements, offences, restraining, enquiries, requests = [], [], [], [], []
        da_cases = []
        for case, order, risk in zip(cases, orders, risks, strict=True):
            requirements.append(
                Requirement(
                    order=order,
                    requirement_type=rng.choice([UPW, RequirementType.RAR, UPW]),
                    unpaid_work_hours=80,
                    rar_days=None,
                )
            )
            offences.append(
                Offence(order=order, description="Bench offence", domestic_abuse=risk.domestic_abuse_perpetrator)
            )
            if risk.domestic_abuse_perpetrator:
                da_cases.append((case, order))
                people.append(
                    ProtectedPerson(
                        service_user=case,
                        full_name="Victim Bench",
                        relationship=Relationship.EX_PARTNER,
                        is_victim=True,
                    )
                )
                agencies.append(
                    AgencyInvolvement(
                        service_user=case,
                        agency_type=AgencyType.POLICE,
                        organisation="Bench Police",
                        role="DA checks",
                        started_on=order.start_date,
                    )
                )
                schedules.append(
                    EnquirySchedule(
                        service_user=case,
                        kind=EnquiryKind.DOMESTIC_ABUSE,
                        interval_days=56,
                        source=ScheduleSource.PROTOCOL,
                    )
                )
                asked = today - timedelta(days=rng.randint(5, 120))
                enquiries.append(
                    Enquiry(
                        service_user=case,
                        kind=EnquiryKind.DOMESTIC_ABUSE,
                        requested_on=asked,
                        response_due_on=asked + timedelta(days=14),
                        response_received_on=asked + timedelta(days=5) if rng.random() < 0.8 else None,
                        result=EnquiryResult.NO_INCIDENTS if rng.random() < 0.8 else EnquiryResult.PENDING,
                    )
                )
            if rng.random() < 0.02:
                requests.append(
                    ContactChangeRequest(
                        service_user=case,
                        requested_by_id=case.responsible_officer_id,
                        frequency_days=7,
                        starts_on=today,
                        reason="Bench request",
                    )
                )
        for requirement in requirements:
            requirement.unpaid_work_hours = 80 if requirement.requirement_type == UPW else None
            requirement.rar_days = 20 if requirement.requirement_type == RequirementType.RAR else None
        Requirement.objects.bulk_create(requirements)
        Offence.objects.bulk_create(offences)
        people = ProtectedPerson.objects.bulk_create(people)
        AgencyInvolvement.objects.bulk_create(agencies)
        EnquirySchedule.objects.bulk_create(schedules)
        Enquiry.objects.bulk_create(enquiries)
        ContactChangeRequest.objects.bulk_create(requests)
        protects = []
        for (case, order), person in zip(da_cases, people, strict=True):
            if rng.random() < 0.5:
                protects.append(person)
                restraining.append(
                    RestrainingOrder(
                        service_user=case,
                        court="Bench",
                        made_on=order.start_date,
                        expires_on=order.start_date + timedelta(days=730),
                        conditions="No contact",
                    )
                )
        restraining = RestrainingOrder.objects.bulk_create(restraining)
        protected = RestrainingOrder.protected_people.through
        protected.objects.bulk_create(
            [
                protected(restrainingorder_id=r.pk, protectedperson_id=p.pk)
                for r, p in zip(restraining, protects, strict=True)
            ]
        )
        self._contacts(rng, now, cases)

    def _contacts(self, rng, now, cases):
        """20 contacts per case, through COPY on PostgreSQL: each row goes straight into the CSV buffer."""
        columns = [
            "service_user_id",
            "contact_type",
            "starts_at",
            "ends_at",
            "with_whom",
            "officer_id",
            "location",
            "notes",
            "sensitive",
            "national_standard",
            "arranged",
            "outcome",
        ]

        def rows():
            for case in cases:
                for n in range(20):
                    starts = now - timedelta(days=7 * n + rng.randint(0, 6), hours=rng.randint(0, 8))
                    kind = rng.choice(CONTACT_TYPES)
                    attended = kind in SEEN or kind == ContactType.CUPA
                    outcome = "" if not attended else rng.choice([Outcome.ATTC] * 8 + [Outcome.UAAB, Outcome.AAME])
                    yield (
                        case.pk,
                        kind,
                        starts,
                        starts + timedelta(minutes=45),
                        WithWhom.SERVICE_USER,
                        case.responsible_officer_id,
                        "Bench office",
                        "Routine contact.",
                        False,
                        kind in SEEN,
                        attended,
                        outcome,
                    )

        if connection.vendor != "postgresql":
            Contact.objects.bulk_create((Contact(**dict(zip(columns, row, strict=True))) for row in rows()), 2000)
            return
        # Every other column gets the model's default (None is NULL; created/updated times are now), so a
        # field added to the model later needs nothing here.
        stamp = now.isoformat()
        rest = [
            field for field in Contact._meta.concrete_fields if field.column not in columns and not field.primary_key
        ]
        tail = [
            copy_value(stamp if field.name in ("created_at", "updated_at") else field.get_default()) for field in rest
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows():
            writer.writerow([*map(copy_value, row), *tail])
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {Contact._meta.db_table} ({', '.join(columns + [field.column for field in rest])}) "
                "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )


def copy_value(value):
    """A value as PostgreSQL's COPY (csv) reads it."""
    if value is None:
        return r"\N"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


@contextmanager
def contacts_indexed_after_the_load():
    """On PostgreSQL, load contacts as pg_restore does: drop the contacts table's secondary indexes (not those
    behind a primary key or unique constraint) and its foreign keys, and build them again after the load with
    the same definitions. One sorted index build and one validating join each, instead of maintaining every
    index and queueing a deferred check per row and foreign key (the commits took most of the time)."""
    if connection.vendor != "postgresql":
        yield
        return
    table = Contact._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchall()
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("RESET maintenance_work_mem")


FIRST = ["Amy", "Ben", "Chloe", "Dean", "Emma", "Jade", "Kieran", "Leah", "Liam", "Ryan", "Sophie", "Tyler"]
LAST = ["Ahmed", "Baker", "Collins", "Davies", "Evans", "Green", "Hall", "Jones", "Khan", "Lewis", "Patel", "Smith"]
