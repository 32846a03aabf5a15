"""The shipped protocol on the demo data: high risk stays with probation officers, Michelle's profile goes to the
experienced PSO, and an admin cannot save a rule that would let a PSO hold a case above the grade's ceiling."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from allocation.models import AllocationRule
from casework.constants import Grade
from casework.demo import NEW_CASE_CRN, WORKED_EXAMPLE_CRN
from casework.models import ServiceUser, User
from risk.services import risk_assessment_add
from tests.casework.test_demo import sign_in
from tests.casework.test_forms import error_summary


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_a_very_high_rosh_mappa_2_case_offers_only_probation_officers(client, demo):
    case = ServiceUser.objects.filter(team__code="NTH", responsible_officer__grade=Grade.PSO).order_by("crn").first()
    today = timezone.localdate()
    risk_assessment_add(
        actor=case.responsible_officer,
        case=case,
        rosh_level="very_high",
        assessed_on=today,
        review_on=today + timedelta(days=90),
        mappa_level="2",
        mappa_category="2",
    )
    sign_in(client, "manager.north")
    response = client.get(f"/cases/{case.crn}/allocate/")
    view = response.context["view"]
    assert view.ranked and {r.candidate.grade for r in view.ranked} == {Grade.PO}
    assert view.rule.is_default and view.rule.grades_text == "Probation officer (PO) or above"
    assert [r.candidate.name for r in view.ranked] == ["Daniel Price"]  # the PSO holds it now; the UPW may not
    assert User.objects.get(username="upw.north").pk in {e.candidate.id for e in view.excluded}
    assert "Only a probation officer can hold this case: very high RoSH, MAPPA level 2" in response.content.decode()


def test_michelles_profile_offers_the_experienced_pso_first(client, demo):
    sign_in(client, "manager.north")
    response = client.get(f"/cases/{NEW_CASE_CRN}/allocate/")
    view = response.context["view"]
    assert view.rule.name == "Unpaid-work-only order with domestic abuse or a restraining order"
    assert view.suggested.name == "Jo Bennett" and view.ranked[0].why.startswith("PSO;")
    assert "RoSH is not screened yet" in response.content.decode()


def test_the_default_rule_is_for_probation_officers_and_its_old_version_is_kept(demo):
    versions = AllocationRule.objects.filter(is_default=True).order_by("version")
    assert [(v.version, v.eligible_grades, v.superseded_at is None) for v in versions][-1] == (2, ["PO"], True)


RULE = {
    "name": "Community orders",
    "order_types": ["CO"],
    "eligible_grades": "PSO",
    "min_experience_years": "0",
    "rationale": "PSOs hold community orders",
    "enabled": "on",
}


def test_a_rule_letting_a_pso_take_a_case_above_the_ceiling_is_refused(client, demo):
    sign_in(client, "admin")
    before = AllocationRule.objects.count()
    messages = error_summary(client.post("/allocation/protocol/rules/new/", RULE))
    assert any(m.startswith("A probation officer must hold any case with high or very high RoSH") for m in messages)
    assert "rule out high or very high RoSH (RoSH is one of: low, medium)" in messages[0]
    assert AllocationRule.objects.count() == before
    within = {
        **RULE,
        "rosh_levels": ["low", "medium"],
        "mappa_levels": ["none", "1"],
        "flags_none": ["child_protection"],
    }
    assert client.post("/allocation/protocol/rules/new/", within).status_code == 302
    assert (
        client.post("/allocation/protocol/rules/new/", {**RULE, "name": "PO", "eligible_grades": "PO"}).status_code
        == 302
    )


def test_the_service_refuses_it_too(demo):
    from allocation import services
    from core.errors import CaseworkError

    admin = User.objects.get(username="admin")
    with pytest.raises(CaseworkError, match="rule out child protection concerns"):
        services.rule_create(
            actor=admin,
            data={"name": "x", "conditions": {"rosh_levels": ["low"], "mappa": False}, "eligible_grades": ["PSO"]},
        )
    default = AllocationRule.objects.get(is_default=True, superseded_at__isnull=True)
    with pytest.raises(CaseworkError):
        services.rule_new_version(actor=admin, rule=default, data={"eligible_grades": ["PSO"]})


def test_every_demo_case_header_shows_its_tier_and_risk(client, demo):
    from risk.models import CaseTier

    assert CaseTier.objects.count() == ServiceUser.objects.count()
    for manager, team in (("manager.north", "NTH"), ("manager.south", "STH")):
        client.logout()
        sign_in(client, manager)
        for case in ServiceUser.objects.filter(team__code=team).select_related("tier"):
            html = client.get(f"/cases/{case.crn}/").content.decode()
            assert f"Tier {case.tier.code}" in html and 'id="case-risk"' in html, case.crn
    client.logout()
    sign_in(client, "manager.north")
    michelle = client.get(f"/cases/{WORKED_EXAMPLE_CRN}/contacts/").content.decode()
    assert "Tier D0" in michelle and "LOW ROSH" in michelle and "Domestic abuse</strong>" in michelle


def test_caseload_and_unallocated_lists_show_tier_and_rosh(client, demo):
    sign_in(client, "manager.north")
    caseload = client.get("/cases/?scope=team").content.decode()
    assert ">Tier</a></th>" in caseload and "LOW ROSH" in caseload
    unallocated = client.get("/allocations/").content.decode()
    assert ">Tier</a></th>" in unallocated and "ROSH NOT SCREENED" in unallocated
