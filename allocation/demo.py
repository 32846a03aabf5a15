"""Demo allocation setup: officer profiles for the demo staff and the worked example's local protocol.
Idempotent: profiles are found by user, rules by name.

The protocol's rules are written by the admin through the rule service, as on the protocol page. Officer
profiles are staff records with no service (like staff and teams), so they are created directly."""

from decimal import Decimal

from django.db import transaction

from casework.constants import Grade, OrderType, RequirementType, Role
from casework.models import ServiceUser, Team, User
from casework.services import responsible_officer_assign
from risk.constants import MappaLevel, RoshLevel
from risk.services import case_tier_recalculate

from . import services
from .constants import NOT_MAPPA, UNSCREENED, Specialism
from .models import AllocationRule, CaseTransfer, OfficerProfile

PROTOCOL_AUTHOR = "admin"

PROFILES = {
    "po.north": (Decimal("37.0"), 9, [Specialism.DOMESTIC_ABUSE.value]),
    "pso.north": (Decimal("37.0"), 6, [Specialism.DOMESTIC_ABUSE.value, Specialism.WOMEN.value]),
    "upw.north": (Decimal("30.0"), 4, []),
    "po.south": (Decimal("37.0"), 2, []),
    "upw.south": (Decimal("37.0"), 8, []),
}

# What a PSO (or an unpaid work supervisor) may hold: never high or very high RoSH, MAPPA level 2 or 3, or child
# protection (allocation.rules ceiling). Every rule below a probation officer rules these out; the default rule
# (migration 0004) is probation officers only, so such cases always go to a PO.
WITHIN_PSO_CEILING = {
    "rosh_levels": [RoshLevel.LOW.value, RoshLevel.MEDIUM.value, UNSCREENED],
    "mappa_levels": [NOT_MAPPA, MappaLevel.LEVEL_1.value],
    "flags_none": ["child_protection"],
}

# The worked example (shared/reference): unpaid-work-only orders go to an unpaid-work supervisor,
# unless there is domestic abuse or a restraining order: then an experienced PSO, weekly contact
# with line-manager approval, and police domestic abuse checks every 8 weeks. Other low and medium
# RoSH community sentences go to a PSO or above.
PROTOCOL = [
    {
        "name": "Unpaid-work-only order with domestic abuse or a restraining order",
        "conditions": {
            "requirement_types_only": [RequirementType.UNPAID_WORK.value],
            "flags_any": ["domestic_abuse", "restraining_order"],
            **WITHIN_PSO_CEILING,
        },
        "eligible_grades": [Grade.PSO.value],
        "min_experience_years": 3,
        "contact_frequency_days": 7,
        "contact_needs_approval": True,
        "da_enquiry_interval_days": 56,
        "rationale": "Domestic abuse and restraining orders need ongoing police checks and closer monitoring "
        "than an unpaid work specialist provides: allocate to an experienced PSO.",
    },
    {
        "name": "Unpaid-work-only order",
        "conditions": {"requirement_types_only": [RequirementType.UNPAID_WORK.value], **WITHIN_PSO_CEILING},
        "eligible_grades": [Grade.UPW.value],
        "rationale": "Stand-alone unpaid work is managed by an unpaid work supervisor.",
    },
    {
        "name": "Low or medium RoSH community sentence",
        "conditions": {
            "order_types": [OrderType.COMMUNITY_ORDER.value, OrderType.SUSPENDED_SENTENCE.value],
            **WITHIN_PSO_CEILING,
        },
        "eligible_grades": [Grade.PSO.value],
        "rationale": "PSOs hold low and medium RoSH community sentences; probation officers keep the cases only "
        "they can hold.",
    },
]


def seed_allocation() -> int:
    with transaction.atomic():
        return _ensure_profiles() + _ensure_protocol() + _ensure_tiers() + _ensure_transfers()


def _ensure_profiles() -> int:
    created = 0
    for username, (hours, years, specialisms) in PROFILES.items():
        user = User.objects.filter(username=username, role=Role.RESPONSIBLE_OFFICER).first()
        if user is None:
            continue
        _, was_created = OfficerProfile.objects.get_or_create(
            user=user, defaults={"contracted_hours": hours, "experience_years": years, "specialisms": specialisms}
        )
        created += was_created
    return created


def _ensure_protocol() -> int:
    """The local protocol's rules, in order, each added after the ones before it (the default rule stays last)."""
    author = User.objects.filter(username=PROTOCOL_AUTHOR, role=Role.ADMIN).first()
    created = 0
    for rule in PROTOCOL:
        if not AllocationRule.objects.filter(name=rule["name"]).exists():
            services.rule_create(actor=author, data=rule)
            created += 1
    return created


def _ensure_tiers() -> int:
    """Every case's tier, through the tier service (cases with a risk record got theirs when it was recorded)."""
    cases = ServiceUser.objects.filter(tier__isnull=True).order_by("crn")
    for case in cases:
        case_tier_recalculate(actor=case.responsible_officer, case=case)
    return len(cases)


def _ensure_transfers() -> int:
    """Two South cases asked for by North, through the transfer services: one accepted by manager.north and
    allocated to a North probation officer (its history shows the move), and one waiting for manager.north to
    accept or decline (in "Approvals" and on the allocations page)."""
    if CaseTransfer.objects.exists():
        return 0
    north, south = Team.objects.filter(code="NTH").first(), Team.objects.filter(code="STH").first()
    north_manager = User.objects.filter(username="manager.north").first()
    south_manager = User.objects.filter(username="manager.south").first()
    north_po = User.objects.filter(username="po.north").first()
    if not all((north, south, north_manager, south_manager, north_po)):
        return 0
    # Open, allocated South cases with no enforcement under way, so the demo's breach and recall stay put.
    candidates = ServiceUser.objects.filter(
        team=south, responsible_officer__isnull=False, closed_on__isnull=True, breaches=None, recalls=None
    ).order_by("crn")[:2]
    if len(candidates) < 2:
        return 0
    moved, waiting = candidates
    done = services.transfer_request(
        actor=south_manager,
        case=moved,
        to_team=north,
        reason="Moved to a family address in Northtown; the court agreed the change of address",
    )
    services.transfer_decide(actor=north_manager, transfer=done, accept=True)
    responsible_officer_assign(
        actor=north_manager, case=moved, officer=north_po, reason=f"Allocated after the transfer from {south}"
    )
    services.transfer_request(
        actor=south_manager,
        case=waiting,
        to_team=north,
        reason="Has a tenancy in Northtown from the start of next month and is moving there with their children",
    )
    return 2
