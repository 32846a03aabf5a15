"""Demo allocation setup: officer profiles for the demo staff and the worked example's local protocol.
Idempotent: profiles are found by user, rules by name.

The protocol's rules are written by the admin through the rule service, as on the protocol page. Officer
profiles are staff records with no service (like staff and teams), so they are created directly."""

from decimal import Decimal

from django.db import transaction

from casework.constants import Grade, RequirementType, Role
from casework.models import User

from . import services
from .constants import Specialism
from .models import AllocationRule, OfficerProfile

PROTOCOL_AUTHOR = "admin"

PROFILES = {
    "po.north": (Decimal("37.0"), 9, [Specialism.DOMESTIC_ABUSE.value]),
    "pso.north": (Decimal("37.0"), 6, [Specialism.DOMESTIC_ABUSE.value, Specialism.WOMEN.value]),
    "upw.north": (Decimal("30.0"), 4, []),
    "po.south": (Decimal("37.0"), 2, []),
    "upw.south": (Decimal("37.0"), 8, []),
}

# The worked example (shared/reference): unpaid-work-only orders go to an unpaid-work supervisor,
# unless there is domestic abuse or a restraining order: then an experienced PSO, weekly contact
# with line-manager approval, and police domestic abuse checks every 8 weeks.
PROTOCOL = [
    {
        "name": "Unpaid-work-only order with domestic abuse or a restraining order",
        "conditions": {
            "requirement_types_only": [RequirementType.UNPAID_WORK.value],
            "flags_any": ["domestic_abuse", "restraining_order"],
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
        "conditions": {"requirement_types_only": [RequirementType.UNPAID_WORK.value]},
        "eligible_grades": [Grade.UPW.value],
        "rationale": "Stand-alone unpaid work is managed by an unpaid work supervisor.",
    },
]


def seed_allocation() -> int:
    with transaction.atomic():
        return _ensure_profiles() + _ensure_protocol()


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
