"""Protocol history: what each version of a rule changed, as pure functions and through the pages."""

import pytest

from allocation import services
from allocation.history import ADDED, CHANGED, REMOVED, Change, rule_changes
from allocation.models import AllocationRule
from casework.constants import Role
from tests import factories

FIRST = {
    "name": "Unpaid work only",
    "enabled": True,
    "conditions": {"requirement_types_only": ["unpaid_work"], "rosh_levels": ["low", "medium"]},
    "eligible_grades": ["PO"],
    "min_experience_years": 0,
    "required_specialism": "",
    "contact_frequency_days": None,
    "contact_needs_approval": False,
    "da_enquiry_interval_days": None,
    "rationale": "Straightforward unpaid work cases.",
}


def test_a_first_version_shows_what_it_set():
    changes = rule_changes(None, FIRST)
    assert Change("Rule name", ADDED, "", "Unpaid work only") in changes
    assert [c.kind for c in changes if c.what == "Condition"] == [ADDED, ADDED]
    assert not [c for c in changes if c.what == "Specialism needed"]  # nothing set, nothing said


def test_changed_added_and_removed_fields_and_conditions():
    second = {
        **FIRST,
        "enabled": False,
        "min_experience_years": 2,
        "conditions": {"rosh_levels": ["low"], "flags_any": ["domestic_abuse"]},
        "da_enquiry_interval_days": 56,
    }
    changes = rule_changes(FIRST, second)
    assert Change("Status", CHANGED, "In use", "Disabled") in changes
    assert Change("Minimum years of experience", CHANGED, "0", "2") in changes
    assert Change("Police domestic abuse enquiry", ADDED, "", "Every 8 weeks") in changes
    conditions = {(c.kind, c.before, c.after) for c in changes if c.what == "Condition"}
    assert (CHANGED, "RoSH is one of: low, medium", "RoSH is one of: low") in conditions
    assert (ADDED, "", "Has any of: domestic abuse") in conditions
    assert any(kind == REMOVED and "Requirements are only" in before for kind, before, _ in conditions)
    assert not [c for c in changes if c.what in ("Rule name", "Rationale")]


def test_no_change_no_lines():
    assert rule_changes(FIRST, dict(FIRST)) == []


@pytest.fixture
def admin(db):
    return factories.UserFactory(username="admin.h", role=Role.ADMIN, grade="", is_staff=True)


@pytest.fixture
def rule(admin):
    first = services.rule_create(actor=admin, data=dict(FIRST))
    return services.rule_new_version(actor=admin, rule=first, data={"min_experience_years": 3})


def test_history_page_shows_every_version_with_its_changes(client_for, admin, rule):
    html = client_for(admin).get("/allocation/protocol/history/").content.decode()
    assert "Unpaid work only" in html and "Version 2" in html and "Version 1" in html
    assert "Minimum years of experience" in html and "Changed" in html


def test_an_old_version_can_be_viewed_but_its_edit_link_is_the_service_404(client_for, admin, rule):
    client = client_for(admin)
    old = AllocationRule.objects.get(lineage=rule.lineage, version=1)
    page = client.get(f"/allocation/protocol/rules/{old.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Version 1" in html and "This version was replaced" in html
    edit = client.get(f"/allocation/protocol/rules/{old.pk}/edit/")
    assert edit.status_code == 404
    assert "Page not found" in edit.content.decode()


def test_officers_cannot_see_the_history(client_for, north, rule):
    assert client_for(north.officer).get("/allocation/protocol/history/").status_code in (403, 404)
