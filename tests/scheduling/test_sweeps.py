"""The daily sweeps on real rows: who is reminded, who is escalated to, and nothing twice."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from casework.constants import NotificationKind, RestrictionKind
from casework.models import Notification
from contacts import sweeps as contact_sweeps
from contacts import tasks as contact_tasks
from contacts.constants import ContactType, Outcome
from contacts.models import Contact
from core.models import Outbox
from risk import sweeps as risk_sweeps
from risk.constants import EnquiryKind, ScheduleSource
from risk.models import EnquirySchedule
from tests import factories
from tests.casework.test_forms import date_fields

LONDON = ZoneInfo("Europe/London")
THURSDAY = datetime(2026, 11, 26, 6, 30, tzinfo=LONDON)


@pytest.fixture
def thursday():
    with time_machine.travel(THURSDAY, tick=False):
        yield THURSDAY.date()


def plan_with_last_contact(case, officer, *, frequency, days_ago):
    factories.ContactPlanFactory(
        service_user=case, frequency_days=frequency, starts_on=THURSDAY.date() - timedelta(days=120)
    )
    factories.ContactFactory(
        service_user=case, officer=officer, outcome=Outcome.ATTC, starts_at=THURSDAY - timedelta(days=days_ago)
    )


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


class TestContactReminders:
    def test_due_tomorrow_reminds_the_officer_once(self, thursday, north, north_case):
        plan_with_last_contact(north_case.case, north.officer, frequency=14, days_ago=13)
        contact_sweeps.remind_contacts([north_case.case.pk], thursday)
        contact_sweeps.remind_contacts([north_case.case.pk], thursday)  # run twice: still one reminder
        reminder = Notification.objects.get(recipient=north.officer)
        assert reminder.message == f"Case {north_case.case.crn}: contact is due by 27 November"
        assert reminder.url == f"/cases/{north_case.case.crn}/contacts/"
        assert kinds_for(north.manager) == []

    def test_long_overdue_escalates_to_the_line_manager(self, thursday, north, north_case):
        plan_with_last_contact(north_case.case, north.officer, frequency=14, days_ago=30)
        contact_sweeps.remind_contacts([north_case.case.pk], thursday)
        assert kinds_for(north.officer) == ["contact_due"]
        escalation = Notification.objects.get(recipient=north.manager)
        assert escalation.kind == "contact_overdue" and escalation.escalation

    def test_not_due_is_left_alone(self, thursday, north, north_case):
        plan_with_last_contact(north_case.case, north.officer, frequency=14, days_ago=3)
        contact_sweeps.remind_contacts([north_case.case.pk], thursday)
        assert not Notification.objects.exists()

    def test_unallocated_cases_are_not_swept(self, thursday, north, north_case):
        plan_with_last_contact(north_case.case, north.officer, frequency=14, days_ago=30)
        north_case.case.responsible_officer = None
        north_case.case.save()
        assert list(contact_sweeps.cases_with_plans()) == []

    def test_sweep_task_fans_out_and_sends_one_digest_per_person(self, thursday, north, north_case):
        north.officer.email = "officer@example.gov.uk"
        north.officer.save()
        second = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
        plan_with_last_contact(north_case.case, north.officer, frequency=14, days_ago=13)
        plan_with_last_contact(second, north.officer, frequency=7, days_ago=7)
        contact_tasks.sweep_contact_reminders.delay()
        assert Notification.objects.filter(recipient=north.officer).count() == 2
        officer_mail = [m for m in mail.outbox if m.to == ["officer@example.gov.uk"]]
        assert len(officer_mail) == 1
        assert officer_mail[0].subject == "Probation Casework: 2 things need your attention"
        assert north_case.case.last_name not in officer_mail[0].subject
        contact_tasks.sweep_contact_reminders.delay()
        assert len([m for m in mail.outbox if m.to == ["officer@example.gov.uk"]]) == 1


class TestApprovalReminders:
    def test_waiting_more_than_three_working_days(self, north, north_case):
        with time_machine.travel(datetime(2026, 11, 19, 16, 0, tzinfo=LONDON), tick=False):  # a Thursday
            request = factories.ContactChangeRequestFactory(service_user=north_case.case, requested_by=north.officer)
        contact_sweeps.remind_approvals(date(2026, 11, 24))  # Tuesday: 3 working days
        assert not Notification.objects.filter(kind=NotificationKind.APPROVAL_WAITING).exists()
        contact_sweeps.remind_approvals(date(2026, 11, 25))  # Wednesday: 4 working days
        contact_sweeps.remind_approvals(date(2026, 11, 26))
        reminders = Notification.objects.filter(kind=NotificationKind.APPROVAL_WAITING)
        # The fixture's own request is from today; only the old one reminds, and only once.
        assert [n.url for n in reminders] == [f"/cases/{north_case.case.crn}/contact-plan/requests/{request.pk}/"]
        assert reminders.get().recipient == north.manager


class TestEnquiryReminders:
    @pytest.fixture(autouse=True)
    def safeguarding_checked(self, thursday, north_case):
        """Children's services checked a week ago: only the police check is in question here."""
        factories.EnquiryFactory(
            service_user=north_case.case,
            kind=EnquiryKind.SAFEGUARDING,
            requested_on=thursday - timedelta(days=7),
            response_due_on=thursday + timedelta(days=7),
            response_received_on=thursday - timedelta(days=2),
            result="none",
        )

    def test_a_case_with_no_schedule_of_its_own_is_reminded_on_the_default(self, thursday, north, north_case):
        """Every case with an order in force has both checks scheduled without anyone setting it up: the
        police check last made 60 days ago is due again 56 days after it (the rule set's default)."""
        north_case.enquiry.requested_on = thursday - timedelta(days=60)
        north_case.enquiry.response_received_on = thursday - timedelta(days=55)
        north_case.enquiry.result = "none"
        north_case.enquiry.save()
        assert not EnquirySchedule.objects.filter(service_user=north_case.case).exists()
        assert north_case.case.pk in set(risk_sweeps.scheduled_cases())
        risk_sweeps.remind_enquiries([north_case.case.pk], thursday)
        due_on = thursday - timedelta(days=4)
        reminder = Notification.objects.get(recipient=north.officer)
        assert reminder.message.endswith(f"police domestic abuse call-out enquiry due by {due_on.day} {due_on:%B}")

    def schedule(self, case, created):
        with time_machine.travel(created, tick=False):
            return EnquirySchedule.objects.create(
                service_user=case, kind=EnquiryKind.DOMESTIC_ABUSE, interval_days=56, source=ScheduleSource.PROTOCOL
            )

    def test_due_enquiry_reminds_and_late_one_escalates(self, thursday, north, north_case):
        north_case.enquiry.requested_on = thursday - timedelta(days=60)
        north_case.enquiry.response_received_on = thursday - timedelta(days=55)
        north_case.enquiry.result = "none"
        north_case.enquiry.save()
        self.schedule(north_case.case, THURSDAY - timedelta(days=100))
        risk_sweeps.remind_enquiries([north_case.case.pk], thursday)
        assert kinds_for(north.officer) == ["enquiry_due"]
        assert kinds_for(north.manager) == []
        later = thursday + timedelta(days=10)  # 14 days after it fell due
        risk_sweeps.remind_enquiries([north_case.case.pk], later)
        assert kinds_for(north.manager) == ["enquiry_not_requested"]
        risk_sweeps.remind_enquiries([north_case.case.pk], later)
        assert Notification.objects.count() == 2

    def test_overdue_response_is_chased_with_the_manager(self, thursday, north, north_case):
        north_case.enquiry.response_due_on = thursday - timedelta(days=1)
        north_case.enquiry.save()
        risk_sweeps.remind_enquiries([north_case.case.pk], thursday)
        assert kinds_for(north.officer) == ["enquiry_response_overdue"]
        assert kinds_for(north.manager) == ["enquiry_response_overdue"]


class TestNotificationsPage:
    def test_people_see_and_read_only_their_own(self, client_for, north, south, north_case):
        from casework.notifications import notify

        notify(
            [north.officer],
            kind=NotificationKind.CONTACT_DUE,
            case=north_case.case,
            message="Yours",
            url="/due/",
            key="k1",
        )
        notify(
            [south.officer], kind=NotificationKind.WEEKLY_SUMMARY, case=None, message="Not yours", url="/due/", key="k2"
        )
        client = client_for(north.officer)
        page = client.get("/notifications/").content.decode()
        assert "Yours" in page and "Not yours" not in page
        assert 'class="moj-notification-badge">1' in page
        theirs = Notification.objects.get(recipient=south.officer)
        assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None
        mine = Notification.objects.get(recipient=north.officer)
        assert client.post(f"/notifications/{mine.pk}/read/", {"open": "1"}).url == "/due/"
        mine.refresh_from_db()
        assert mine.read_at is not None

    @pytest.mark.parametrize("user", ["officer", "admin"])
    def test_the_badge_counts_to_99_then_shows_99_plus(self, client_for, north, north_case, admin_user, user):
        person = north.officer if user == "officer" else admin_user

        def unread(n, start=0):
            Notification.objects.bulk_create(
                Notification(
                    recipient=person,
                    service_user=north_case.case,
                    kind=NotificationKind.CONTACT_DUE,
                    message="Contact due",
                    dedupe_key=f"badge-{index}",
                )
                for index in range(start, start + n)
            )

        client = client_for(person)
        unread(99)
        assert 'class="moj-notification-badge">99<' in client.get("/notifications/").content.decode()
        unread(51, start=99)
        page = client.get("/notifications/").content.decode()
        assert 'class="moj-notification-badge">99+<span class="govuk-visually-hidden"> unread' in page


def test_attended_contact_clears_the_due_reminder(client_for, north, north_case, django_capture_on_commit_callbacks):
    from casework.notifications import notify

    notify([north.officer], kind=NotificationKind.CONTACT_DUE, case=north_case.case, message="Due", url="/", key="due")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/contacts/new/",
            {
                "contact_type": ContactType.COAP,
                **date_fields("contact_date", timezone.localdate() - timedelta(days=1)),
                "start_time": "10:00",
                "with_whom": "service_user",
                "national_standard": "True",
                "outcome": Outcome.ATTC,
                "penalty_minutes": "0",
            },
        )
    assert response.status_code == 302
    assert Notification.objects.get(kind=NotificationKind.CONTACT_DUE).read_at is not None


def test_broker_down_contact_still_saves_and_the_next_sweep_reminds(
    client_for, north, north_case, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(contact_tasks.contact_recorded, "apply_async", broker_down)
    plan_with_last_contact(north_case.case, north.officer, frequency=7, days_ago=20)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/contacts/new/",
            {
                "contact_type": ContactType.CTOB,
                **date_fields("contact_date", timezone.localdate() - timedelta(days=1)),
                "start_time": "12:00",
                "with_whom": "service_user",
                "national_standard": "False",
                "notes": "Called to say she is unwell",
                "penalty_minutes": "0",
            },
        )
    assert response.status_code == 302
    assert Contact.objects.filter(notes="Called to say she is unwell").exists()
    # A phone call answers no reminder, so nothing waited on the broker: the sweep still reminds.
    assert "Could not enqueue" not in caplog.text and not Outbox.objects.exists()
    contact_sweeps.remind_contacts([north_case.case.pk], timezone.localdate())
    assert Notification.objects.filter(recipient=north.officer, kind=NotificationKind.CONTACT_DUE).exists()


def test_setup_periodic_tasks_is_idempotent(db):
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks", stdout=__import__("io").StringIO())
    call_command("setup_periodic_tasks", "--run-now", stdout=__import__("io").StringIO())
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks["Daily contact reminders and approval reminders"] == "contacts.tasks.sweep_contact_reminders"
    assert tasks["Daily domestic abuse and safeguarding enquiry sweep"] == "risk.tasks.sweep_enquiries"
    assert PeriodicTask.objects.filter(name="Monday morning digest").get().crontab.day_of_week == "1"
    assert tasks["Nightly case status: ratings and what is due"] == "risk.tasks.sweep_case_status"
    assert tasks["Send follow-up work waiting in the outbox"] == "core.tasks.dispatch_outbox"
    assert tasks["Sweep watchdog: finish what was missed"] == "casework.tasks.sweep_watchdog"
    assert tasks["Appointment reminders to service users"] == "contacts.tasks.sweep_reminders"
    assert PeriodicTask.objects.count() == 9


def test_run_now_sends_the_sweeps(thursday, north, north_case):
    plan_with_last_contact(north_case.case, north.officer, frequency=7, days_ago=20)
    call_command("setup_periodic_tasks", "--run-now", stdout=__import__("io").StringIO())
    assert Notification.objects.filter(recipient=north.officer, kind=NotificationKind.CONTACT_DUE).exists()


def test_whats_due_page_for_officer_and_manager(client_for, north, north_case):
    plan_with_last_contact(north_case.case, north.officer, frequency=7, days_ago=20)
    officer_page = client_for(north.officer).get("/due/")
    html = officer_page.content.decode()
    assert "Contacts due and overdue (1)" in html and "Outcomes to log (1)" in html
    assert "Risk reviews needed (1)" in html and "Approvals waiting" not in html
    manager_page = client_for(north.manager).get("/due/").content.decode()
    assert "Approvals waiting (1)" in manager_page
    assert f"/cases/{north_case.case.crn}/contact-plan/requests/{north_case.change_request.pk}/" in manager_page


def test_whats_due_shows_nothing_of_other_teams(client_for, south, north_case):
    html = client_for(south.manager).get("/due/").content.decode()
    assert north_case.case.crn not in html


@pytest.mark.parametrize("size", [3, 30])
def test_a_sweep_batch_notifies_in_the_same_queries_however_many_cases(
    size, thursday, north, django_assert_max_num_queries
):
    from casework.models import AccessRestriction

    cases = [factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer) for _ in range(size)]
    for case in cases:
        plan_with_last_contact(case, north.officer, frequency=7, days_ago=30)  # overdue: officer and manager told
    # One case is limited to someone else: its officer and manager are not told about it.
    AccessRestriction.objects.create(
        service_user=cases[0],
        user=factories.UserFactory(),
        kind=RestrictionKind.ALLOWED,
        reason="Staff member",
        set_by=north.manager,
    )
    with django_assert_max_num_queries(8):
        contact_sweeps.remind_contacts([case.pk for case in cases], thursday)
    told = set(Notification.objects.filter(kind=NotificationKind.CONTACT_DUE).values_list("service_user_id", flat=True))
    assert told == {case.pk for case in cases[1:]}
    escalated = Notification.objects.filter(kind=NotificationKind.CONTACT_OVERDUE, recipient=north.manager)
    assert escalated.count() == size - 1


# 20 cases make 80 notices: one INSERT on SQLite too (it splits inserts of a hundred rows or more).
@pytest.mark.parametrize("size", [3, 20])
def test_an_enquiry_sweep_batch_notifies_in_the_same_queries_however_many_cases(
    size, thursday, north, django_assert_max_num_queries
):
    cases = [factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer) for _ in range(size)]
    with time_machine.travel(THURSDAY - timedelta(days=30), tick=False):
        for case in cases:  # never requested, due when the schedule began: overdue and escalated
            EnquirySchedule.objects.create(
                service_user=case, kind=EnquiryKind.DOMESTIC_ABUSE, interval_days=56, source=ScheduleSource.PROTOCOL
            )
    for case in cases:  # a response overdue: officer and manager told
        factories.EnquiryFactory(service_user=case, kind="safeguarding", response_due_on=thursday - timedelta(days=1))
    with django_assert_max_num_queries(10):
        risk_sweeps.remind_enquiries([case.pk for case in cases], thursday)
    assert Notification.objects.filter(kind=NotificationKind.ENQUIRY_DUE, recipient=north.officer).count() == size
    assert (
        Notification.objects.filter(kind=NotificationKind.ENQUIRY_NOT_REQUESTED, recipient=north.manager).count()
        == size
    )
    assert (
        Notification.objects.filter(kind=NotificationKind.ENQUIRY_RESPONSE_OVERDUE, recipient=north.manager).count()
        == size
    )
