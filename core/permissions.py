"""Who may do what: every role and object check, named once, for views, templates and tests.

Views call `require(user, "rule", obj)`, which raises PermissionDenied with the rule's own words;
templates read `can.rule` (the `permissions` context processor); tests call `allowed(...)`. Seeing a
case at all is not here: casework.selectors.get_case_for_user decides that (404 or restricted), so
these rules only ever run for a case the user may already see."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def is_admin(user) -> bool:
    return _signed_in(user) and user.is_casework_admin


def is_line_manager(user) -> bool:
    return _signed_in(user) and user.is_line_manager


def is_manager_or_admin(user) -> bool:
    return is_line_manager(user) or is_admin(user)


def manages_team(user, team_id: int) -> bool:
    return is_line_manager(user) and user.managed_teams.filter(pk=team_id).exists()


def manages_case(user, case) -> bool:
    """Line-manager decisions on a case: who may see it, its officer, its contact plan."""
    return is_admin(user) or manages_team(user, case.team_id)


def decides_request(user, change_request) -> bool:
    """Only a line manager of the case's team decides on contact for it (not an admin: it is a
    supervision judgement)."""
    return manages_team(user, change_request.service_user.team_id)


def decides_transfer(user, transfer) -> bool:
    """Only a line manager of the receiving team accepts or declines a transfer: they take on the case."""
    return manages_team(user, transfer.to_team_id)


def sees_transfer(user, transfer) -> bool:
    """A transfer request is seen by the line managers of both teams (and admins), nobody else."""
    return is_admin(user) or decides_transfer(user, transfer) or manages_team(user, transfer.from_team_id)


def countersigns_recall(user, recall) -> bool:
    """A recall recommendation is countersigned by a line manager of the case's team, never by the person who
    made it (HMPPS Recall, Review and Re-release of Recalled Prisoners Policy Framework: management oversight)."""
    return manages_team(user, recall.service_user.team_id) and user.pk != recall.recommended_by_id


@dataclass(frozen=True)
class Rule:
    check: Callable[..., bool]
    refusal: str  # shown on the 403 page


RULES = {
    "use_django_admin": Rule(lambda user: is_admin(user) or (_signed_in(user) and user.is_staff), "For admins"),
    "configure_allocation": Rule(is_admin, "Only admins configure allocation"),
    "see_access_audit": Rule(is_admin, "The access audit is for admins"),
    "decide_requests": Rule(is_line_manager, "Only line managers have an approvals queue"),
    "allocate_cases": Rule(is_manager_or_admin, "Allocation is for line managers"),
    "see_team_view": Rule(is_manager_or_admin, "The team view is for line managers"),
    "see_workload": Rule(is_manager_or_admin, "Workload is for line managers and admins"),
    # Lists of many cases name each case's officer for managers (an officer's list is their own).
    "see_officer_names": Rule(is_manager_or_admin, ""),
    "manage_case_access": Rule(manages_case, "Only the case's line manager or an admin can change who may see it"),
    "see_case_audit": Rule(manages_case, "Only the case's line manager or an admin can see who has viewed it"),
    "allocate_case": Rule(manages_case, "Only a line manager of the case's team or an admin can allocate it"),
    "change_contact_plan": Rule(
        manages_case, "This case already has a contact plan. Request a change from your line manager"
    ),
    "transfer_case": Rule(manages_case, "Only a line manager of the case's team or an admin can transfer it"),
    "see_transfer": Rule(sees_transfer, "Only the line managers of the two teams can see this transfer"),
    "decide_transfer": Rule(decides_transfer, "Only a line manager of the receiving team can accept or decline it"),
    "decide_request": Rule(decides_request, "Only a line manager of the case's team can decide this request"),
    "countersign_recall": Rule(
        countersigns_recall,
        "Only a line manager of the case's team who did not make the recommendation can countersign a recall",
    ),
}


def allowed(user, rule: str, obj=None) -> bool:
    check = RULES[rule].check
    return check(user) if obj is None else check(user, obj)


def require(user, rule: str, obj=None) -> None:
    if not allowed(user, rule, obj):
        raise PermissionDenied(RULES[rule].refusal)


class Can:
    """`can.<rule>` in templates, for the rules about the user alone (object rules take an object:
    views pass their result, e.g. `can_manage`)."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, rule):
        if rule.startswith("_") or rule not in RULES:
            raise AttributeError(rule)
        value = allowed(self._user, rule)
        setattr(self, rule, value)  # each rule once per request
        return value
