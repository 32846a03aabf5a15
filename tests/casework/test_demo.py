"""`manage.py seed_demo`: idempotent, it serves the worked example, and it writes only through the services."""

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from casework.constants import EventKind
from casework.demo import DEMO_PASSWORD, WORKED_EXAMPLE_CRN
from casework.models import CaseEvent, ServiceUser, Team, User
from contacts.constants import ContactType, Outcome, PlanSource
from contacts.models import Contact, ContactPlan
from risk.constants import ENQUIRY_CONTACT_CODES, Rating
from risk.selectors import case_criteria

ROOT = Path(__file__).resolve().parents[2]
DEMO_MODULES = [
    "casework/demo.py",
    "contacts/demo.py",
    "risk/demo.py",
    "allocation/demo.py",
    "casework/management/commands/seed_demo.py",
]
# Staff records have no service: these may be written directly.
STAFF_MODELS = {"Team", "User", "OfficerProfile"}
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "save", "update", "delete"}


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
    allocation = michelle.events.get(kind=EventKind.ALLOCATED)
    assert "Local protocol" in str(allocation.changes)
    pages = range(1, michelle.events.count() // 50 + 2)
    url = f"/cases/{WORKED_EXAMPLE_CRN}/timeline/"
    timeline = "".join(client.get(url, {"page": n}).content.decode() for n in pages)
    assert "Local protocol" in timeline


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
        "home_visits": Rating.MET,
    }
    sign_in(client, "manager.north")
    team = client.get("/keeping-people-safe/")
    assert any(case.crn == WORKED_EXAMPLE_CRN for case, _ in team.context["rows"])


def test_kerry_truthfully_needs_an_induction_checks_and_a_rosh_screening(client, db):
    from casework.demo import NEW_CASE_CRN

    call_command("seed_demo", stdout=StringIO())
    sign_in(client, "manager.north")
    response = client.get(f"/cases/{NEW_CASE_CRN}/")
    contact = next(r for r in response.context["panels"][0]["criteria"] if r.key == "contact")
    assert contact.rating == Rating.NOT_MET and contact.recommendation.startswith("Arrange the induction")
    agencies = next(r for r in response.context["panels"][0]["criteria"] if r.key == "agencies")
    assert agencies.rating == Rating.NOT_MET and "police domestic abuse check" in agencies.recommendation
    assert "Arrange the induction" in response.content.decode()


def test_new_case_like_michelle_is_suggested_for_the_experienced_pso(client, db):
    from casework.demo import NEW_CASE_CRN

    call_command("seed_demo", stdout=StringIO())
    sign_in(client, "manager.north")
    response = client.get(f"/cases/{NEW_CASE_CRN}/allocate/")
    view = response.context["view"]
    assert view.rule.name == "Unpaid-work-only order with domestic abuse or a restraining order"
    assert view.suggested.name == "Jo Bennett"
    assert NEW_CASE_CRN in client.get("/allocations/").content.decode()


@pytest.mark.parametrize("module", DEMO_MODULES)
def test_demo_code_writes_case_records_only_through_services(module):
    """No `Model.objects.create`, `bulk_create`, `.save()` or `.update()` in demo code, except for staff and teams:
    every case record is made by a service, so it gets the same checks and timeline as a real one."""
    tree = ast.parse((ROOT / module).read_text())
    direct = [
        f"line {node.lineno}: {ast.unparse(node.func)}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
        and ast.unparse(node.func.value) not in {f"{model}.objects" for model in STAFF_MODELS}
    ]
    assert not direct, f"{module} writes records directly instead of calling a service: {direct}"


def case_record_models():
    """The service user and every model that belongs to a case (it names the path to its case)."""
    return [ServiceUser] + [model for model in apps.get_models() if hasattr(model, "case_path")]


def test_every_demo_case_record_is_on_its_timeline_with_who_made_it(db):
    """What the services leave behind: each record has its creator, and a timeline entry naming it. The only
    records without an entry of their own are appointments of a series (the entry names the first) and the
    contacts an enquiry logs (the entry names the enquiry)."""
    call_command("seed_demo", stdout=StringIO())
    on_timeline = set(CaseEvent.objects.values_list("service_user", "record_type", "record_id"))
    contacts = {pk: (series, code) for pk, series, code in Contact.objects.values_list("pk", "series", "contact_type")}
    series_on_timeline = {contacts[pk][0] for case, kind, pk in on_timeline if kind == "contact" and pk in contacts}
    enquiry_codes = {code for codes in ENQUIRY_CONTACT_CODES.values() for code in codes}
    missing, no_creator, checked = [], [], 0
    for model in case_record_models():
        name = str(model._meta.verbose_name)
        case_path = "pk" if model is ServiceUser else model.case_path
        if any(field.name == "created_by" for field in model._meta.fields):
            no_creator += [f"{name} {pk}" for pk in model.objects.filter(created_by=None).values_list("pk", flat=True)]
        for pk, case in model.objects.values_list("pk", case_path):
            checked += 1
            if (case, name, pk) in on_timeline:
                continue
            series, code = contacts.get(pk, (None, "")) if model is Contact else (None, "")
            if (series is not None and series in series_on_timeline) or code in enquiry_codes:
                continue
            missing.append(f"{name} {pk}")
    assert not no_creator, f"Not made by a service (no created_by): {no_creator[:10]}"
    assert not missing, f"Not made by a service (not on the case's timeline): {missing[:10]}"
    assert checked > 1000  # the demo is all there: cases, orders, contacts, plans, risk records, enquiries


def test_michelles_police_check_has_one_due_date_on_every_page(client, db):
    from datetime import timedelta

    from casework.models import Notification
    from risk.constants import EnquiryKind

    call_command("seed_demo", stdout=StringIO())
    michelle = ServiceUser.objects.get(crn=WORKED_EXAMPLE_CRN)
    last = michelle.enquiries.filter(kind=EnquiryKind.DOMESTIC_ABUSE).latest("requested_on").requested_on
    due_on = last + timedelta(days=56)
    sign_in(client, "pso.north")
    risk_page = client.get(f"/cases/{WORKED_EXAMPLE_CRN}/risk/").content.decode()
    assert f"Next police domestic abuse call-out enquiry due {due_on:%A} {due_on.day} {due_on:%B %Y}" in risk_page
    assert f"requested {last.day} {last:%B %Y}" in risk_page and "due every 56 days" in risk_page
    # Not due for weeks: "What's due" and the reminders agree and say nothing about it.
    due_page = client.get("/due/").content.decode()
    assert "Michelle Dawson" not in due_page or "Request police domestic abuse" not in due_page
    assert not Notification.objects.filter(service_user=michelle, message__icontains="police").exists()


def test_demo_has_a_warning_in_force_and_an_absence_to_decide(db):
    from django.utils import timezone

    from contacts import selectors

    call_command("seed_demo", stdout=StringIO())
    pending = Contact.objects.filter(outcome=Outcome.AFTA)
    assert pending.exists()
    case = pending.first().service_user
    today = timezone.localdate()
    assert any(w.covers(today) for w in selectors.warnings_given(case))


def test_michelle_has_agreed_to_text_reminders_and_her_next_appointment_has_one(client, db):
    from contacts.models import Reminder

    call_command("seed_demo", stdout=StringIO())
    michelle = ServiceUser.objects.get(crn=WORKED_EXAMPLE_CRN)
    prefs = michelle.contact_preferences
    assert prefs.sms_consented and prefs.mobile == "+447700900321"
    next_session = michelle.contacts.filter(arranged=True, outcome="").latest("starts_at")
    assert Reminder.objects.filter(contact=next_session, channel="sms").exists()
    sign_in(client, michelle.responsible_officer.username)
    page = client.get(f"/cases/{michelle.crn}/reminders/").content.decode()
    assert "07700 900321" in page and "Text, the day before" in page


def test_demo_has_a_breach_awaiting_court_and_a_licence_recall(db):
    from django.utils import timezone

    from contacts.models import BreachAction, Recall

    call_command("seed_demo", stdout=StringIO())
    breach = BreachAction.objects.get()
    assert breach.result == "" and breach.hearing_on > timezone.localdate()
    assert breach.order.order_type != "LIC" and breach.report_submitted_on is not None
    recall = Recall.objects.get()
    assert recall.order.order_type == "LIC" and recall.countersigned_at is None
