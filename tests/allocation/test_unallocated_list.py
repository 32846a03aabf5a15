"""The unallocated list: tier, RoSH, next appointment and contact due at a glance, sortable, in constant queries."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from risk import services as risk_services
from tests import factories


def waiting_case(team, last_name, rosh=None, plan_days_ago=None, appointment_in=None):
    case = factories.ServiceUserFactory(team=team, responsible_officer=None, last_name=last_name)
    factories.RequirementFactory(order__service_user=case, requirement_type="RAR")
    if rosh:
        today = timezone.localdate()
        risk_services.risk_assessment_add(
            actor=factories.UserFactory(teams=[team]),
            case=case,
            assessed_on=today,
            review_on=today + timedelta(days=180),
            rosh_level=rosh,
        )
    if plan_days_ago is not None:
        factories.ContactPlanFactory(
            service_user=case, frequency_days=7, starts_on=timezone.localdate() - timedelta(days=plan_days_ago)
        )
    if appointment_in is not None:
        factories.ContactFactory(
            service_user=case, arranged=True, starts_at=timezone.now() + timedelta(days=appointment_in)
        )
    return case


def names_in_order(html: str, names) -> list[str]:
    table = html[html.index('id="unallocated"') :]
    return sorted(names, key=lambda name: table.index(name))


def test_columns_show_tier_rosh_next_appointment_and_contact_due(client_for, north):
    waiting_case(north.team, "Ashdown", rosh="high", plan_days_ago=30, appointment_in=3)
    waiting_case(north.team, "Brook")
    html = client_for(north.manager).get("/allocations/").content.decode()
    for header in ("Tier", "Risk", "Next appointment", "Contact due"):
        assert re.search(rf'aria-sort="none"><a class="govuk-link" href="\?sort=\w+">{header}</a>', html), header
    assert "HIGH ROSH" in html and "Overdue" in html  # weekly contact from a plan 30 days old, nobody seen
    assert "None arranged" in html and "No contact plan" in html
    soon = timezone.localdate() + timedelta(days=3)
    assert f"{soon:%a} {soon.day} {soon:%b %Y}" in html


def test_sorting_by_risk_tier_appointment_and_due(client_for, north):
    waiting_case(north.team, "Lowe", rosh="low", plan_days_ago=1, appointment_in=10)
    waiting_case(north.team, "Highfield", rosh="very_high", plan_days_ago=30, appointment_in=2)
    waiting_case(north.team, "Unscreened")
    client = client_for(north.manager)
    names = ["Lowe", "Highfield", "Unscreened"]

    def order(sort):
        return names_in_order(client.get(f"/allocations/?sort={sort}").content.decode(), names)

    assert order("rosh") == ["Highfield", "Lowe", "Unscreened"]  # highest first, not screened last
    assert order("tier")[0] == "Highfield"
    assert order("appointment") == ["Highfield", "Lowe", "Unscreened"]
    assert order("-appointment")[-1] == "Highfield"
    assert order("due")[:2] == ["Highfield", "Lowe"]  # overdue first; no plan last
    assert order("name") == ["Highfield", "Lowe", "Unscreened"]
    assert order("nonsense") == order("opened")


def test_queries_do_not_grow_with_the_list(client_for, north):
    client = client_for(north.manager)

    def count():
        client.get("/allocations/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/allocations/?sort=due").status_code == 200
        return len(captured)

    for i in range(3):
        waiting_case(north.team, f"Few{i}", rosh="medium", plan_days_ago=i, appointment_in=i + 1)
    few = count()
    for i in range(20):
        waiting_case(north.team, f"Many{i}", rosh="high", plan_days_ago=i, appointment_in=i + 1)
    assert count() == few
