"""Who may do what: the rules in core.permissions, and the pages and navigation that follow them."""

import pytest

from core import permissions

USER_RULES = {
    # rule: who may (officer, manager, admin)
    "use_django_admin": (False, False, True),
    "configure_allocation": (False, False, True),
    "see_access_audit": (False, False, True),
    "decide_requests": (False, True, False),
    "allocate_cases": (False, True, True),
    "see_team_view": (False, True, True),
    "see_workload": (False, True, True),
    "see_officer_names": (False, True, True),
}


def test_every_rule_about_a_user_is_in_the_table():
    object_rules = {
        "manage_case_access",
        "see_case_audit",
        "allocate_case",
        "change_contact_plan",
        "decide_request",
        "countersign_recall",
    }
    object_rules |= {"transfer_case", "see_transfer", "decide_transfer"}
    assert set(permissions.RULES) == set(USER_RULES) | object_rules


@pytest.mark.parametrize("rule", USER_RULES)
def test_rules_by_role(rule, north, admin_user):
    expected = USER_RULES[rule]
    assert [permissions.allowed(u, rule) for u in (north.officer, north.manager, admin_user)] == list(expected)


@pytest.mark.parametrize(
    "rule", ["manage_case_access", "see_case_audit", "allocate_case", "change_contact_plan", "transfer_case"]
)
def test_case_rules_need_the_case_team_manager_or_an_admin(rule, north, south, north_case, admin_user):
    case = north_case.case
    assert [permissions.allowed(u, rule, case) for u in (north.officer, south.manager, north.manager, admin_user)] == [
        False,
        False,
        True,
        True,
    ]


def test_only_the_case_teams_manager_decides_a_request(north, south, north_case, admin_user):
    request = north_case.change_request
    assert [permissions.allowed(u, "decide_request", request) for u in (north.officer, south.manager, admin_user)] == [
        False,
        False,
        False,
    ]
    assert permissions.allowed(north.manager, "decide_request", request)


def test_deactivated_manager_may_do_nothing(north, north_case):
    north.manager.is_active = False
    assert not permissions.allowed(north.manager, "decide_requests")
    assert not permissions.allowed(north.manager, "allocate_case", north_case.case)


def test_refusal_uses_the_rules_words(client_for, north):
    response = client_for(north.officer).get("/approvals/")
    assert response.status_code == 403
    assert permissions.RULES["decide_requests"].refusal in response.content.decode()


NAV = {
    "Approvals": "decide_requests",
    "Allocation protocol": "configure_allocation",
    "Access audit": "see_access_audit",
}


@pytest.mark.parametrize("who", ["officer", "manager", "admin"])
def test_navigation_follows_the_rules(who, client_for, north, admin_user):
    user = {"officer": north.officer, "manager": north.manager, "admin": admin_user}[who]
    page = client_for(user).get("/cases/").content.decode()
    for label, rule in NAV.items():
        assert (f">{label}</a>" in page) == permissions.allowed(user, rule), label


def test_whats_due_says_whose_cases(client_for, north, north_case):
    officer_page = client_for(north.officer).get("/due/").content.decode()
    assert "For your cases." in officer_page
    manager_page = client_for(north.manager).get("/due/").content.decode()
    assert "For the cases of your teams." in manager_page


def test_transfer_rules_follow_the_two_teams(north, south, north_case, admin_user):
    from allocation.models import CaseTransfer

    transfer = CaseTransfer.objects.create(
        service_user=north_case.case,
        from_team=north.team,
        to_team=south.team,
        reason="Moved",
        requested_by=north.manager,
    )
    people = (north.officer, south.officer, north.manager, south.manager, admin_user)
    assert [permissions.allowed(u, "see_transfer", transfer) for u in people] == [False, False, True, True, True]
    # Only the receiving team's line manager decides: they take the case on (not an admin, not the sender).
    assert [permissions.allowed(u, "decide_transfer", transfer) for u in people] == [False, False, False, True, False]
