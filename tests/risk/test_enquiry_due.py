"""An enquiry's next due date is worked out once (risk.due.enquiries_due_for_cases): the sweep's reminder,
"What's due" and the case's risk page agree on it."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.constants import NotificationKind
from casework.models import Notification
from contacts.constants import DueState
from risk import sweeps
from risk.constants import ScheduleSource
from risk.due import enquiries_due_for_cases
from risk.models import Enquiry, EnquirySchedule
from risk.rules import Thresholds
from tests import factories

LONDON = ZoneInfo("Europe/London")
THURSDAY = datetime(2026, 11, 26, 6, 30, tzinfo=LONDON)


@pytest.fixture
def thursday():
    with time_machine.travel(THURSDAY, tick=False):
        yield THURSDAY.date()


@pytest.fixture
def scheduled_case(thursday, north):
    """A DA enquiry last requested 60 days ago on an 8-weekly schedule (due 22 November: overdue), and a
    safeguarding enquiry requested 10 days ago (not due)."""
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    factories.RiskAssessmentFactory(service_user=case, domestic_abuse_perpetrator=True)
    with time_machine.travel(THURSDAY - timedelta(days=100), tick=False):
        for kind in ("da", "safeguarding"):
            EnquirySchedule.objects.create(
                service_user=case, kind=kind, interval_days=56, source=ScheduleSource.PROTOCOL
            )
    for kind, days_ago in (("da", 60), ("safeguarding", 10)):
        Enquiry.objects.create(
            service_user=case,
            kind=kind,
            requested_on=thursday - timedelta(days=days_ago),
            response_due_on=thursday - timedelta(days=days_ago - 14),
            response_received_on=thursday - timedelta(days=days_ago - 5),
            result="none",
        )
    return case


def test_one_computation_of_each_kind(scheduled_case, thursday, django_assert_num_queries):
    with django_assert_num_queries(4):
        due = enquiries_due_for_cases([scheduled_case.pk], thursday, Thresholds())
    assert due[scheduled_case.pk]["da"].due_on == date(2026, 11, 22)
    assert due[scheduled_case.pk]["da"].status == DueState.OVERDUE
    assert due[scheduled_case.pk]["safeguarding"].status == DueState.NOT_DUE


def test_the_sweep_whats_due_and_the_risk_page_agree_on_the_date(client_for, north, scheduled_case, thursday):
    due_on = enquiries_due_for_cases([scheduled_case.pk], thursday, Thresholds())[scheduled_case.pk]["da"].due_on

    sweeps.remind_enquiries([scheduled_case.pk], thursday)
    reminder = Notification.objects.get(recipient=north.officer, kind=NotificationKind.ENQUIRY_DUE)
    assert reminder.message.endswith(f"due by {due_on.day} {due_on:%B}")

    client = client_for(north.officer)
    page = client.get("/due/").content.decode()
    row = re.search(r"Request police domestic abuse call-out enquiry</td>\s*<td[^>]*>([^<]+)</td>", page)
    assert row and row.group(1) == f"{due_on:%a} {due_on.day} {due_on:%b %Y}"
    # The safeguarding enquiry is not due: neither says it is.
    assert "Request children" not in page
    assert Notification.objects.filter(kind=NotificationKind.ENQUIRY_DUE).count() == 1

    # The risk page shows the same date, and its evidence (last request and interval) adds up to it.
    risk_page = client.get(f"/cases/{scheduled_case.crn}/risk/").content.decode()
    assert f"Next police domestic abuse call-out enquiry due {due_on:%A} {due_on.day} {due_on:%B %Y}" in risk_page
    evidence = re.search(
        r"Last police domestic abuse enquiry requested (\d+ \w+ \d{4}) \(\d+ days ago; due every (\d+)", risk_page
    )
    assert evidence
    last_requested = datetime.strptime(evidence.group(1), "%d %B %Y").date()
    assert last_requested + timedelta(days=int(evidence.group(2))) == due_on
