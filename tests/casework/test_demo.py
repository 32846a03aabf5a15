"""`manage.py seed_demo`: idempotent, and it serves the worked example."""

from io import StringIO

from django.core.management import call_command

from casework.demo import DEMO_PASSWORD, WORKED_EXAMPLE_CRN
from casework.models import CaseEvent, ServiceUser, Team, User
from contacts.constants import ContactType, Outcome, PlanSource
from contacts.models import Contact, ContactPlan
from risk.constants import Rating
from risk.selectors import case_criteria


def sign_in(client, username):
    """Through the real sign-in page, as a person would."""
    response = client.post("/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, "sign-in failed"


def counts():
    return (
        Team.objects.count(),
        User.objects.count(),
        ServiceUser.objects.count(),
        CaseEvent.objects.count(),
        Contact.objects.count(),
        ContactPlan.objects.count(),
    )


def test_seed_twice_creates_nothing_twice(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    assert first[0] == 2 and first[2] == 42
    call_command("seed_demo", stdout=out)
    assert counts() == first
    assert (
        "created 0 teams, 0 users, 0 cases; contact history for 0 cases; risk records for 0 cases; 0 allocation records"
        in out.getvalue()
    )
    assert DEMO_PASSWORD in out.getvalue()


def test_worked_example_is_michelle(client, db):
    call_command("seed_demo", stdout=StringIO())
    michelle = ServiceUser.objects.get(crn=WORKED_EXAMPLE_CRN)
    assert michelle.first_name == "Michelle"
    assert michelle.age_on(__import__("datetime").date.today()) == 32
    assert michelle.responsible_officer.username == "pso.north"
    order = michelle.orders.get()
    assert order.requirements.get().unpaid_work_hours == 80
    assert order.offences.get().domestic_abuse
    assert michelle.restraining_orders.get().protected_people.get().relationship == "ex_partner"

    sign_in(client, "pso.north")
    html = client.get(f"/cases/{WORKED_EXAMPLE_CRN}/").content.decode()
    for text in ("Michelle Dawson", "Unpaid work: 80 hours", "Domestic abuse", "Alex Morgan", "In force"):
        assert text in html
    assert "Local protocol" in client.get(f"/cases/{WORKED_EXAMPLE_CRN}/timeline/").content.decode()


def test_demo_staff_can_sign_in_and_see_their_team_only(client, db):
    call_command("seed_demo", stdout=StringIO())
    sign_in(client, "pso.south")
    assert client.get(f"/cases/{WORKED_EXAMPLE_CRN}/").status_code == 404


def test_michelle_has_weekly_contact_approved_and_attended(client, db):
    call_command("seed_demo", stdout=StringIO())
    michelle = ServiceUser.objects.get(crn=WORKED_EXAMPLE_CRN)
    plan = michelle.contact_plans.get(ends_on__isnull=True)
    assert plan.frequency_days == 7 and plan.source == PlanSource.APPROVED_CHANGE
    assert plan.change_request.decided_by.username == "manager.north"
    attended = michelle.contacts.filter(contact_type=ContactType.COAP, outcome=Outcome.ATTC)
    assert attended.count() >= 8
    sign_in(client, "pso.north")
    html = client.get(f"/cases/{WORKED_EXAMPLE_CRN}/").content.decode()
    assert "Every week" in html and "Approved change" in html.replace("approved change", "Approved change")
    assert "Overdue" not in html
    log = client.get(f"/cases/{WORKED_EXAMPLE_CRN}/contacts/").content.decode()
    assert "Attended – complied" in log and "Unpaid work session" in log


def test_michelle_meets_every_applicable_keeping_people_safe_criterion(client, db):
    call_command("seed_demo", stdout=StringIO())
    michelle = ServiceUser.objects.get(crn=WORKED_EXAMPLE_CRN)
    assert {r.key: r.rating for r in case_criteria(michelle)} == {
        "contact": Rating.MET,
        "victims": Rating.MET,
        "agencies": Rating.MET,
        "key_individuals": Rating.MET,
        "home_visits": Rating.NOT_APPLICABLE,
    }
    sign_in(client, "manager.north")
    team = client.get("/keeping-people-safe/")
    assert any(case.crn == WORKED_EXAMPLE_CRN for case, _ in team.context["rows"])


def test_new_case_like_michelle_is_suggested_for_the_experienced_pso(client, db):
    from casework.demo import NEW_CASE_CRN

    call_command("seed_demo", stdout=StringIO())
    sign_in(client, "manager.north")
    response = client.get(f"/cases/{NEW_CASE_CRN}/allocate/")
    view = response.context["view"]
    assert view.rule.name == "Unpaid-work-only order with domestic abuse or a restraining order"
    assert view.suggested.name == "Jo Bennett"
    assert NEW_CASE_CRN in client.get("/allocations/").content.decode()
