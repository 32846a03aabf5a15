"""Demo contacts: Michelle's approved weekly contact and a run of attended contacts, and a varied
history for the other demo cases. Idempotent: a case that already has a contact plan is left alone."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction

from casework.constants import EventKind, Role
from casework.models import ServiceUser
from casework.services import record_case_event

from .constants import RequestStatus
from .models import Contact, ContactChangeRequest, ContactPlan
from .selectors import LOCAL_TZ


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def seed_contacts(*, today: date, worked_example_crn: str) -> int:
    seeded = 0
    cases = ServiceUser.objects.filter(contact_plans__isnull=True, responsible_officer__isnull=False).select_related(
        "team", "responsible_officer"
    )
    with transaction.atomic():
        for case in cases.order_by("crn"):
            if case.crn == worked_example_crn:
                _michelle(case, today)
            else:
                _varied(case, today, random.Random(f"demo-contacts-{case.crn}"))
            seeded += 1
    return seeded


def _manager(case):
    return case.team.managers.filter(role=Role.LINE_MANAGER).first()


def _michelle(case: ServiceUser, today: date) -> None:
    officer, manager = case.responsible_officer, _manager(case)
    order = case.orders.get()
    upw = order.requirements.get()
    start = order.start_date
    ContactPlan.objects.create(
        service_user=case,
        frequency_days=14,
        source="order",
        starts_on=start,
        ends_on=start + timedelta(days=20),
        created_by=officer,
    )
    Contact.objects.create(
        service_user=case,
        contact_type="COAI",
        starts_at=_at(start + timedelta(days=3), 10),
        ends_at=_at(start + timedelta(days=3), 11),
        officer=officer,
        location="Westshire probation office",
        national_standard=True,
        arranged=True,
        outcome="ATTC",
        outcome_recorded_by=officer,
        notes="Induction. Michelle was upset and tearful; the relationship breakdown has been traumatic and she is "
        "devastated by the restraining order. Accepts she had been contacting Alex repeatedly. Explained the order "
        "and the restraining order conditions. Signposted to Westshire Talking Therapies for counselling.",
        created_by=officer,
    )
    Contact.objects.create(
        service_user=case,
        contact_type="CIEA",
        with_whom="agency",
        agency=case.agencies.get(agency_type="counselling"),
        starts_at=_at(start + timedelta(days=10), 14),
        officer=officer,
        created_by=officer,
        notes="Signposting referral sent to Westshire Talking Therapies with Michelle's consent.",
    )
    request = ContactChangeRequest.objects.create(
        service_user=case,
        requested_by=officer,
        frequency_days=7,
        starts_on=start + timedelta(days=21),
        reason="Unpaid-work-only order, but domestic abuse with a restraining order in force. Michelle has offered "
        "to meet after her unpaid work sessions; weekly contact lets me monitor risk and give low-level support "
        "while she struggles with the end of the relationship.",
        status=RequestStatus.APPROVED,
        decided_by=manager,
        decision_comment="Agreed: proportionate to the risk.",
    )
    ContactChangeRequest.objects.filter(pk=request.pk).update(decided_at=_at(start + timedelta(days=20), 9))
    ContactPlan.objects.create(
        service_user=case,
        frequency_days=7,
        source="approved",
        starts_on=start + timedelta(days=21),
        change_request=request,
        created_by=manager,
    )
    record_case_event(
        actor=manager,
        case=case,
        kind=EventKind.UPDATED,
        record=request,
        summary="Line manager approved contact every week",
        changes=[{"field": "Comment", "from": "", "to": "Agreed: proportionate to the risk."}],
    )
    # Saturday unpaid work, then a short office contact afterwards, every week up to last week.
    saturday = start + timedelta(days=(5 - start.weekday()) % 7 + 7)
    while saturday < today:
        Contact.objects.create(
            service_user=case,
            contact_type="CUPA",
            starts_at=_at(saturday, 9),
            ends_at=_at(saturday, 14),
            officer=officer,
            location="Westshire community garden project",
            arranged=True,
            requirement=upw,
            outcome="ATTC",
            outcome_recorded_by=officer,
            created_by=officer,
        )
        Contact.objects.create(
            service_user=case,
            contact_type="COAP",
            starts_at=_at(saturday, 14, 30),
            ends_at=_at(saturday, 14, 50),
            officer=officer,
            location="Westshire probation office",
            national_standard=True,
            arranged=True,
            outcome="ATTC",
            outcome_recorded_by=officer,
            created_by=officer,
            notes="Brief contact after unpaid work. No contact with Alex reported. Mood improving; has attended "
            "counselling.",
        )
        saturday += timedelta(days=7)
    mother = case.key_individuals.first()
    if mother is not None:
        Contact.objects.create(
            service_user=case,
            contact_type="CT3A",
            with_whom="key_individual",
            key_individual=mother,
            starts_at=_at(today - timedelta(days=18), 13),
            officer=officer,
            created_by=officer,
            notes="Spoke to Michelle's mother with Michelle's consent. No concerns about contact with Alex; she is "
            "supporting Michelle to attend counselling.",
        )
    Contact.objects.create(
        service_user=case,
        contact_type="CUPA",
        starts_at=_at(saturday, 9),
        ends_at=_at(saturday, 14),
        officer=officer,
        location="Westshire community garden project",
        arranged=True,
        requirement=upw,
        created_by=officer,
    )


def _varied(case: ServiceUser, today: date, rng: random.Random) -> None:
    officer = case.responsible_officer
    order = case.orders.first()
    if order is None:
        return
    frequency = rng.choice([7, 14, 14, 28])
    ContactPlan.objects.create(
        service_user=case, frequency_days=frequency, source="order", starts_on=order.start_date, created_by=officer
    )
    day = order.start_date + timedelta(days=rng.randint(2, 5))
    last_day = today - timedelta(days=rng.choice([1, 3, 10, 25, 40]))  # some cases fall overdue
    warned = False
    while day < last_day:
        roll = rng.random()
        outcome, action = "ATTC", ""
        if roll < 0.08:
            outcome, action = "UAAB", ("BRE" if warned else "EA02")
            warned = True
        elif roll < 0.14:
            outcome = rng.choice(["AAME", "AAEM", "AAFC"])
        Contact.objects.create(
            service_user=case,
            contact_type=rng.choice(["COAP", "COAP", "CHVS", "COVC"]),
            starts_at=_at(day, 10),
            ends_at=_at(day, 10, 45),
            officer=officer,
            national_standard=True,
            arranged=True,
            outcome=outcome,
            enforcement_action=action,
            outcome_recorded_by=officer,
            created_by=officer,
            location="Westshire probation office",
        )
        day += timedelta(days=frequency)
    if rng.random() < 0.3:  # an appointment that happened but has no outcome yet
        Contact.objects.create(
            service_user=case,
            contact_type="COAP",
            starts_at=_at(today - timedelta(days=2), 14),
            ends_at=_at(today - timedelta(days=2), 15),
            officer=officer,
            national_standard=True,
            arranged=True,
            created_by=officer,
        )
    next_day = today + timedelta(days=rng.randint(1, 10))
    Contact.objects.create(
        service_user=case,
        contact_type="COAP",
        starts_at=_at(next_day, 11),
        ends_at=_at(next_day, 12),
        officer=officer,
        national_standard=True,
        arranged=True,
        created_by=officer,
        location="Westshire probation office",
    )
