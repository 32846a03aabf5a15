"""What changed between two versions of an allocation rule, in words. Pure: plain values in, changes out."""

from dataclasses import dataclass

from casework.constants import Grade

from .constants import Specialism
from .rules import CaseFacts, check_conditions

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KIND_LABELS = {ADDED: "Added", REMOVED: "Removed", CHANGED: "Changed"}
GRADES_LOWEST_FIRST = [Grade.UPW, Grade.PSO, Grade.PO]
FREQUENCIES = {7: "Every week", 14: "Every 2 weeks", 28: "Every 4 weeks"}


@dataclass(frozen=True)
class Change:
    what: str
    kind: str  # ADDED, REMOVED or CHANGED
    before: str
    after: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _grades(values) -> str:
    ranked = sorted((g for g in values or [] if g in GRADES_LOWEST_FIRST), key=GRADES_LOWEST_FIRST.index)
    return f"{Grade(ranked[0]).label} or above" if ranked else "Any grade"


def _enquiry(days) -> str:
    if not days:
        return ""
    return f"Every {days // 7} weeks" if days % 7 == 0 else f"Every {days} days"


# Each field a version records, its name on the rule form, and how its value reads.
FIELDS = [
    ("name", "Rule name", str),
    ("enabled", "Status", lambda v: "In use" if v else "Disabled"),
    ("eligible_grades", "Lowest grade who can hold the case", _grades),
    ("min_experience_years", "Minimum years of experience", lambda v: str(v or 0)),
    ("required_specialism", "Specialism needed", lambda v: Specialism(v).label if v in Specialism.values else ""),
    ("contact_frequency_days", "Contact plan to set", lambda v: FREQUENCIES.get(v, "")),
    ("contact_needs_approval", "Contact plan needs line-manager approval", lambda v: "Yes" if v else "No"),
    ("da_enquiry_interval_days", "Police domestic abuse enquiry", _enquiry),
    ("rationale", "Rationale", str),
]


def condition_words(key: str, wanted) -> str:
    """One condition of a rule as the allocation page words it ("RoSH is one of: high, medium")."""
    checks = check_conditions({key: wanted}, CaseFacts())
    return checks[0].label if checks else ""


def _conditions(before: dict, after: dict) -> list[Change]:
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        old = condition_words(key, before.get(key))
        new = condition_words(key, after.get(key))
        if old == new:
            continue
        kind = ADDED if not old else REMOVED if not new else CHANGED
        changes.append(Change("Condition", kind, old, new))
    return changes


def rule_changes(before: dict | None, after: dict) -> list[Change]:
    """What a version changed from the one before it (None: the first version, where everything is added)."""
    previous = before or {}
    changes = []
    for name, label, words in FIELDS:
        old = words(previous.get(name)) if before is not None else ""
        new = words(after.get(name))
        if old == new or (before is None and not new):
            continue
        kind = ADDED if not old else REMOVED if not new else CHANGED
        changes.append(Change(label, kind, old, new))
    return changes + _conditions(previous.get("conditions") or {}, after.get("conditions") or {})
