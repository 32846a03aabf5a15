"""The tier through the services and pages: stored, recalculated when an input changes, its history on the timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import CaseEvent
from core.errors import CaseworkError
from risk import services
from risk.models import CaseTier, TierFactors
from tests import factories
from tests.casework.test_forms import date_fields, error_summary


@pytest.fixture
def rar_case(north):
    """A community order with a rehabilitation activity requirement: a mandate for change."""
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, gender="M")
    factories.RequirementFactory(order__service_user=case, requirement_type="RAR", unpaid_work_hours=None)
    return case


def add_risk(case, actor, **kwargs):
    today = timezone.localdate()
    return services.risk_assessment_add(
        actor=actor,
        case=case,
        assessed_on=today,
        review_on=today + timedelta(days=180),
        **{"rosh_level": "low", **kwargs},
    )


def tier_events(case):
    return list(CaseEvent.objects.filter(service_user=case, record_type="case tier").order_by("id"))


def test_a_risk_record_calculates_the_tier_and_a_change_goes_on_the_timeline(north, rar_case):
    add_risk(rar_case, north.officer, rosh_level="medium")
    stored = CaseTier.objects.get(service_user=rar_case)
    assert stored.code == "C2"  # medium RoSH 10 points; no OGRS yet: change level 2
    assert stored.rosh_level == "medium" and stored.calculated_at
    add_risk(rar_case, north.officer, rosh_level="medium")  # same tier: no new entry
    add_risk(rar_case, north.officer, rosh_level="very_high", mappa_level="2", mappa_category="2")
    stored.refresh_from_db()
    assert stored.code == "A2" and stored.mappa_category == "2"
    events = tier_events(rar_case)
    assert [e.summary for e in events] == ["Tier calculated: C2", "Tier changed: A2"]
    assert events[1].changes[0] == {"field": "Tier", "from": "C2", "to": "A2"}
    assert {"field": "Scored", "from": "", "to": "MAPPA level 2: 30"} in events[1].changes


def test_tier_factors_are_versioned_and_recalculate(north, rar_case):
    add_risk(rar_case, north.officer)
    services.tier_factors_record(
        actor=north.officer, case=rar_case, complexity_factors=["RMDO", "ALSH", "RVLN", "STRG", "TACT"], ogrs_score=55
    )
    assert CaseTier.objects.get(service_user=rar_case).code == "C1"  # 5 factors x 2 = 10; OGRS 55 -> 5 points
    services.tier_factors_record(
        actor=north.officer, case=rar_case, ogrs_score=99, needs={"thinking": "severe", "attitudes": "standard"}
    )
    assert CaseTier.objects.get(service_user=rar_case).code == "D2"  # 9 + 4 + 2 = 15 change points
    assert TierFactors.objects.filter(service_user=rar_case).count() == 2


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"complexity_factors": ["NOPE"]}, "complexity_factors"),
        ({"ogrs_score": 101}, "ogrs_score"),
        ({"needs": {"thinking": "very"}}, "needs"),
    ],
)
def test_bad_tier_factors_are_refused(north, rar_case, kwargs, field):
    with pytest.raises(CaseworkError) as error:
        services.tier_factors_record(actor=north.officer, case=rar_case, **kwargs)
    assert list(error.value.errors) == [field] and not TierFactors.objects.exists()


def test_a_mappa_category_needs_a_level(north, rar_case):
    with pytest.raises(CaseworkError, match="Select the MAPPA level"):
        add_risk(rar_case, north.officer, mappa_category="1")


def test_officer_records_tier_factors_on_the_form(client_for, north, rar_case):
    client = client_for(north.officer)
    url = f"/cases/{rar_case.crn}/risk/tier/"
    page = client.get(url)
    assert page.status_code == 200 and "Complexity factors" in page.content.decode()
    response = client.post(
        url, {"complexity_factors": ["RMDO"], "rsr_score": "7.2", "ogrs_score": "40", "need_thinking": "severe"}
    )
    assert response.status_code == 302
    factors = TierFactors.objects.get(service_user=rar_case)
    assert factors.needs == {"thinking": "severe"} and str(factors.rsr_score) == "7.20"
    assert CaseTier.objects.get(service_user=rar_case).code == "B1"  # RSR over 6.9: 20, + 2; 4 + 4 = 8
    risk_page = client.get(f"/cases/{rar_case.crn}/risk/").content.decode()
    assert "Tier B1" in risk_page and "RSR 7.2%: 20" in risk_page


def test_tier_factors_form_errors_are_for_people(client_for, north, rar_case):
    response = client_for(north.officer).post(f"/cases/{rar_case.crn}/risk/tier/", {"ogrs_score": "lots"})
    assert "Enter the OGRS score as a number, like 12" in error_summary(response)


def test_mappa_category_on_the_risk_form(client_for, north, rar_case):
    today = timezone.localdate()
    data = {
        "rosh_level": "high",
        **date_fields("assessed_on", today),
        **date_fields("review_on", today + timedelta(days=180)),
        "mappa_level": "",
        "mappa_category": "2",
    }
    url = f"/cases/{rar_case.crn}/risk/assessment/new/"
    client = client_for(north.officer)
    assert "Select the MAPPA level, or no MAPPA category" in error_summary(client.post(url, data))
    assert client.post(url, {**data, "mappa_level": "2"}).status_code == 302
    assert CaseTier.objects.get(service_user=rar_case).mappa_category == "2"


def test_the_criteria_snapshot_reads_mappa(north, rar_case):
    from risk.snapshots import snapshots_for

    add_risk(rar_case, north.officer, rosh_level="high", mappa_level="2", mappa_category="1")
    snapshot = snapshots_for([rar_case.pk], timezone.localdate())[rar_case.pk]
    assert (snapshot.mappa_level, snapshot.mappa_category) == ("2", "1")
