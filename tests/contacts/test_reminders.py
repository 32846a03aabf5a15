"""Reminders to the person on probation through GOV.UK Notify (issue 20), against a local fake Notify server
(pytest-httpserver) that checks what the real client sends."""

import json
import uuid
from datetime import datetime, time, timedelta

import jwt
import pytest
import time_machine
from django.utils import timezone
from werkzeug import Response

from casework.models import CaseEvent, Notification
from contacts import appointments, notify, reminders, rules, services, tasks
from contacts.models import Reminder, ReminderSettings
from contacts.selectors import LOCAL_TZ
from core.errors import CaseworkError
from core.models import Outbox
from risk.whats_due import whats_due

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"casework_test-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE = str(uuid.uuid4())
CALLBACK_TOKEN = "receipts-token-0123456789"
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=LOCAL_TZ)  # a Tuesday


# Rules (no database)


def test_reminder_the_day_before_at_the_local_policy_hour():
    starts = datetime(2026, 12, 3, 14, 0, tzinfo=LOCAL_TZ)
    assert rules.reminder_times(starts, day_before_hour=17, early_before_hour=11, on_the_day_hour=7) == [
        ("day_before", datetime(2026, 12, 2, 17, 0, tzinfo=LOCAL_TZ))
    ]


def test_an_early_appointment_is_also_reminded_on_the_day():
    starts = datetime(2026, 12, 3, 9, 30, tzinfo=LOCAL_TZ)
    times = dict(rules.reminder_times(starts, day_before_hour=17, early_before_hour=11, on_the_day_hour=7))
    assert times["on_the_day"] == datetime(2026, 12, 3, 7, 0, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("07700 900321", "+447700900321"), ("07912 345678", "+447912345678"), ("+44 7912 345678", "+447912345678")],
)
def test_uk_mobiles_are_stored_in_e164(typed, stored):
    assert rules.uk_mobile_e164(typed) == stored


@pytest.mark.parametrize(
    ("typed", "error"), [("0113 496 0000", "landline"), ("12345", "UK mobile"), ("+1 202 555 0100", "UK mobile")]
)
def test_landlines_and_foreign_numbers_are_refused(typed, error):
    with pytest.raises(ValueError, match=error):
        rules.uk_mobile_e164(typed)


def test_the_message_says_only_name_date_time_place_and_how_to_get_in_touch():
    values = rules.reminder_personalisation(
        first_name="Michelle",
        starts_at=datetime(2026, 12, 3, 14, 30, tzinfo=LOCAL_TZ),
        place="Westshire office",
        contact_phone="0300 047 0000",
    )
    assert values == {
        "first_name": "Michelle",
        "date": "Thursday 3 December",
        "time": "2:30pm",
        "place": "Westshire office",
        "contact": "0300 047 0000",
    }


def test_weekly_plan_without_a_booking_reminds_the_officer_from_the_policy_weekday():
    wednesday, monday = datetime(2026, 12, 2).date(), datetime(2026, 11, 30).date()
    assert rules.book_weekly_reminder_due(frequency_days=7, today=wednesday, by_weekday=2, booked_next_week=False)
    assert not rules.book_weekly_reminder_due(frequency_days=7, today=monday, by_weekday=2, booked_next_week=False)
    assert not rules.book_weekly_reminder_due(frequency_days=7, today=wednesday, by_weekday=2, booked_next_week=True)
    assert not rules.book_weekly_reminder_due(frequency_days=14, today=wednesday, by_weekday=2, booked_next_week=False)


# Consent and scheduling


@pytest.fixture
def notify_server(db, httpserver, settings):
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN
    config = ReminderSettings.current()
    config.sms_template_id = SMS_TEMPLATE
    config.save()
    return httpserver


def consenting(north, case, mobile="07700 900321"):
    reminders.preferences_set(actor=north.officer, case=case, mobile=mobile, email="")
    reminders.consent_set(actor=north.officer, case=case, channel="sms", consented=True)


def arrange(north, case, starts_at):
    (appointment,) = services.appointments_arrange(
        actor=north.officer,
        case=case,
        contact_type="COAP",
        starts=[starts_at],
        duration=timedelta(hours=1),
        location="Westshire office",
        notes="Discuss the offence",
        sensitive=False,
    )
    return appointment


def test_no_consent_no_reminder(north, north_case):
    reminders.preferences_set(actor=north.officer, case=north_case.case, mobile="07700 900321", email="")
    arrange(north, north_case.case, timezone.now() + timedelta(hours=5))
    reminders.reminders_sweep()
    assert not Reminder.objects.exists()


def test_consent_needs_a_number_and_is_recorded_with_who_and_when(north, north_case):
    with pytest.raises(CaseworkError, match="Enter the mobile number"):
        reminders.consent_set(actor=north.officer, case=north_case.case, channel="sms", consented=True)
    consenting(north, north_case.case)
    prefs = reminders.preferences_for(north_case.case)
    assert prefs.mobile == "+447700900321" and prefs.sms_consent_by == north.officer and prefs.sms_consent_at


def test_withdrawing_consent_cancels_reminders_not_yet_sent(north, north_case):
    with time_machine.travel(NOON, tick=False):
        consenting(north, north_case.case)
        arrange(north, north_case.case, NOON + timedelta(days=2))
        reminders.consent_set(actor=north.officer, case=north_case.case, channel="sms", consented=False)
    assert Reminder.objects.get().status == "cancelled"


def test_cancelling_an_appointment_cancels_its_reminder_and_rescheduling_replaces_it(north, north_case):
    with time_machine.travel(NOON, tick=False):
        consenting(north, north_case.case)
        appointment = arrange(north, north_case.case, NOON + timedelta(days=2))
        (moved,) = appointments.appointment_reschedule(
            actor=north.officer, contact=appointment, starts_at=NOON + timedelta(days=3), reason="Court date"
        )
        assert Reminder.objects.get(contact=appointment).status == "cancelled"
        assert Reminder.objects.get(contact=moved).status == "scheduled"
        appointments.appointment_cancel(actor=north.officer, contact=moved, reason="Order revoked")
    assert Reminder.objects.get(contact=moved).status == "cancelled"


# Sending through Notify


def _check_request(request):
    """What the real Notify checks: a Bearer JWT signed with the key's secret, issued by the service."""
    scheme, token = request.headers["Authorization"].split(" ", 1)
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    body = json.loads(request.data)
    assert body["template_id"] == SMS_TEMPLATE and body["phone_number"] == "+447700900321"
    return body


def _answer(status, payload):
    received = []

    def handler(request):
        received.append(_check_request(request))
        return Response(json.dumps(payload), status=status, content_type="application/json")

    return handler, received


def due_reminder(north, case):
    """A reminder now due: the appointment is later today, so yesterday's reminder time has passed."""
    consenting(north, case)
    with time_machine.travel(NOON, tick=False):
        appointment = arrange(north, case, NOON + timedelta(hours=4))
    return Reminder.objects.get(contact=appointment)


def test_a_reminder_goes_to_notify_with_the_template_and_only_the_personalisation(notify_server, north, north_case):
    handler, received = _answer(201, {"id": "6f3a0b7e-0000-4000-8000-000000000001"})
    notify_server.expect_oneshot_request("/v2/notifications/sms", method="POST").respond_with_handler(handler)
    reminder = due_reminder(north, north_case.case)
    with time_machine.travel(NOON, tick=False):
        assert reminders.reminder_deliver(reminder.pk) == "sent"
    (body,) = received
    assert body["personalisation"] == {
        "first_name": north_case.case.first_name,
        "date": "Tuesday 1 December",
        "time": "4pm",
        "place": "Westshire office",
        "contact": "0300 047 0000",
    }
    assert body["reference"] == reminder.reference
    assert "offence" not in json.dumps(body).lower()
    reminder.refresh_from_db()
    assert reminder.status == "sending" and reminder.notify_id.endswith("0001")
    assert CaseEvent.objects.filter(summary="Text reminder sent to 07700 900321 — sending").exists()


@pytest.mark.parametrize("status", [429, 500])
def test_rate_limits_and_outages_are_retried(notify_server, north, north_case, status):
    handler, received = _answer(status, {"status_code": status, "errors": [{"error": "X", "message": "Slow down"}]})
    notify_server.expect_oneshot_request("/v2/notifications/sms").respond_with_handler(handler)
    ok, _ = _answer(201, {"id": "6f3a0b7e-0000-4000-8000-000000000002"})
    notify_server.expect_oneshot_request("/v2/notifications/sms").respond_with_handler(ok)
    reminder = due_reminder(north, north_case.case)
    with pytest.raises(notify.RetryLater):
        reminders.reminder_deliver(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == "scheduled" and reminder.attempts == 1
    assert notify.RetryLater in tasks.reminder_send.autoretry_for  # the worker retries it with backoff
    assert reminders.reminder_deliver(reminder.pk) == "sent"  # the retry
    assert reminders.reminder_deliver(reminder.pk) == "skipped"  # and never again
    assert len(received) == 1 and len(notify_server.log) == 2


def test_a_permanent_failure_is_never_retried(notify_server, north, north_case):
    refusal = {"status_code": 400, "errors": [{"error": "BadRequestError", "message": "Not a valid phone number"}]}
    handler, received = _answer(400, refusal)
    notify_server.expect_request("/v2/notifications/sms").respond_with_handler(handler)
    reminder = due_reminder(north, north_case.case)
    assert reminders.reminder_deliver(reminder.pk) == "refused"
    assert reminders.reminder_deliver(reminder.pk) == "skipped"
    reminder.refresh_from_db()
    assert reminder.status == "not-sent" and "Not a valid phone number" in reminder.last_error
    assert len(received) == 1


def test_a_sweep_run_twice_sends_nothing_twice(notify_server, north, north_case, django_capture_on_commit_callbacks):
    handler, received = _answer(201, {"id": str(uuid.uuid4())})
    notify_server.expect_request("/v2/notifications/sms").respond_with_handler(handler)
    consenting(north, north_case.case)
    with time_machine.travel(NOON, tick=False):
        arrange(north, north_case.case, NOON + timedelta(days=1, hours=-2))  # tomorrow 10:00: two reminders
    evening = NOON.replace(hour=17, minute=5)
    for _ in range(2):
        with time_machine.travel(evening, tick=False), django_capture_on_commit_callbacks(execute=True):
            reminders.reminders_sweep()
    assert Reminder.objects.count() == 2  # the day before and, for an early appointment, on the day
    assert Outbox.objects.filter(task_name="contacts.tasks.reminder_send").count() == 1
    assert len(received) == 1  # only the day-before reminder is due yet


def test_the_console_backend_needs_no_account_and_shows_the_reminder_as_delivered(
    settings, north, north_case, django_capture_on_commit_callbacks, caplog
):
    settings.NOTIFY_API_KEY = ""
    consenting(north, north_case.case)
    with time_machine.travel(NOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        arrange(north, north_case.case, NOON + timedelta(hours=4))
    reminder = Reminder.objects.get()
    assert reminder.status == "delivered" and reminder.backend == "console"
    assert "Reminder by sms to +447700900321" in caplog.text


# Delivery receipts


def _receipt(client, reminder, status, token=CALLBACK_TOKEN, reference=None):
    return client.post(
        "/notify/delivery-receipts/",
        data=json.dumps(
            {
                "id": reminder.notify_id,
                "reference": reminder.reference if reference is None else reference,
                "to": reminder.recipient,
                "status": status,
                "notification_type": "sms",
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def sent_reminder(notify_server, north, north_case):
    notify_server.expect_request("/v2/notifications/sms").respond_with_json({"id": str(uuid.uuid4())}, status=201)
    reminder = due_reminder(north, north_case.case)
    reminders.reminder_deliver(reminder.pk)
    reminder.refresh_from_db()
    return reminder


def test_a_receipt_with_the_right_token_updates_the_status_and_the_timeline(client, sent_reminder):
    assert _receipt(client, sent_reminder, "delivered").status_code == 200
    sent_reminder.refresh_from_db()
    assert sent_reminder.status == "delivered"
    assert CaseEvent.objects.filter(summary="Text reminder sent to 07700 900321 — delivered").exists()


def test_a_receipt_with_a_wrong_token_is_refused(client, sent_reminder):
    assert _receipt(client, sent_reminder, "delivered", token="guess").status_code == 401
    sent_reminder.refresh_from_db()
    assert sent_reminder.status == "sending"


def test_a_receipt_for_an_unknown_reference_changes_nothing(client, sent_reminder):
    response = _receipt(client, sent_reminder, "delivered", reference="someone-elses")
    assert response.status_code == 200 and response.json() == {"result": "unknown reference"}
    sent_reminder.refresh_from_db()
    assert sent_reminder.status == "sending"


def test_a_permanent_failure_asks_the_officer_to_check_the_mobile_number(client, sent_reminder, north, north_case):
    _receipt(client, sent_reminder, "permanent-failure")
    items = whats_due(north.officer, timezone.localdate())["reminders"]
    assert [item.what for item in items] == ["Check the mobile number: a reminder could not be delivered"]
    client.force_login(north.officer)
    assert "Check the mobile number" in client.get("/due/").content.decode()
    # A new number answers it.
    reminders.preferences_set(actor=north.officer, case=north_case.case, mobile="07700 900654", email="")
    assert whats_due(north.officer, timezone.localdate())["reminders"] == []


# Pages


def test_consent_and_the_outbox_page(client_for, north, north_case, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_API_KEY = ""
    client = client_for(north.officer)
    crn = north_case.case.crn
    response = client.post(f"/cases/{crn}/reminders/contact-details/", {"mobile": "0113 496 0000", "email": ""})
    assert "Enter a mobile number" in response.content.decode()
    assert reminders.preferences_for(north_case.case) is None
    client.post(f"/cases/{crn}/reminders/contact-details/", {"mobile": "07700 900321", "email": ""})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{crn}/reminders/consent/", {"channel": "sms", "consented": "yes"})
        arrange(north, north_case.case, timezone.now() + timedelta(hours=3))
    page = client.get(f"/cases/{crn}/reminders/").content.decode()
    assert "07700 900321" in page and "Delivered" in page and f"recorded by {north.officer}" in page


def test_the_outbox_page_of_another_teams_case_is_404(client_for, south, north_case):
    assert client_for(south.officer).get(f"/cases/{north_case.case.crn}/reminders/").status_code == 404


def test_the_weekly_plan_reminds_the_officer_to_book(north, north_case):
    services.contact_plan_set(
        actor=north.manager, case=north_case.case, frequency_days=7, source="order", starts_on=NOON.date()
    )
    wednesday = datetime.combine(NOON.date() + timedelta(days=1), time(9), tzinfo=LOCAL_TZ)
    with time_machine.travel(wednesday, tick=False):
        reminders.remind_officers_to_book()
        reminders.remind_officers_to_book()
    # Once a week, however often the sweep runs.
    assert Notification.objects.filter(recipient=north.officer, message__startswith="Book next week").count() == 1
    arrange(north, north_case.case, wednesday + timedelta(days=9))
    with time_machine.travel(wednesday + timedelta(days=7), tick=False):
        reminders.remind_officers_to_book()  # next week's is booked: no reminder
    assert Notification.objects.filter(message__startswith="Book next week").count() == 1


def test_the_access_audit_records_who_opened_the_reminders_page(client_for, north, north_case):
    from casework.models import AuditEvent

    client_for(north.officer).get(f"/cases/{north_case.case.crn}/reminders/")
    assert AuditEvent.objects.filter(
        user=north.officer, service_user=north_case.case, path=f"/cases/{north_case.case.crn}/reminders/"
    ).exists()
