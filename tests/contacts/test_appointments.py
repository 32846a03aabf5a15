"""Appointments that move (issue 18 point 3): reschedule or cancel one appointment or the rest of its series,
with a reason, the original kept on record; bad input saves nothing."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from contacts import appointments, services
from contacts.models import Contact, ContactAmendment
from contacts.selectors import LOCAL_TZ
from core.errors import CaseworkError
from risk.due import due_entries
from risk.rules import Thresholds


def _day(days: int):
    return timezone.localdate() + timedelta(days=days)


def arrange(north, case, *, days=(3,), at=time(10, 0)):
    starts = [datetime.combine(_day(d), at, tzinfo=LOCAL_TZ) for d in days]
    return services.appointments_arrange(
        actor=north.officer,
        case=case,
        contact_type="COAP",
        starts=starts,
        duration=timedelta(hours=1),
        location="Westshire office",
        notes="",
        sensitive=False,
    )


def test_reschedule_keeps_the_original_with_the_national_rescheduled_outcome(north, north_case):
    (original,) = arrange(north, north_case.case)
    new_start = datetime.combine(_day(5), time(14, 30), tzinfo=LOCAL_TZ)
    (new,) = appointments.appointment_reschedule(
        actor=north.officer, contact=original, starts_at=new_start, reason="Job interview", moved_by="RSOF"
    )
    original.refresh_from_db()
    assert original.outcome == "RSOF" and original.rescheduled_to == new
    assert original.starts_at != new.starts_at  # the original date stays on the record
    assert new.starts_at == new_start and new.ends_at == new_start + timedelta(hours=1)
    amendment = original.amendments.get()
    assert amendment.reason == "Job interview" and amendment.get_kind_display() == "Appointment rescheduled"
    assert "Appointment rescheduled" in north_case.case.events.first().summary


def test_cancel_marks_the_appointment_cancelled_and_keeps_it(north, north_case):
    (appointment,) = arrange(north, north_case.case)
    appointments.appointment_cancel(actor=north.officer, contact=appointment, reason="Officer off sick")
    appointment.refresh_from_db()
    assert appointment.is_cancelled and appointment.cancel_reason == "Officer off sick"
    assert appointment.cancelled_by == north.officer
    assert Contact.objects.filter(pk=appointment.pk).exists()


def test_cancel_twice_is_refused(north, north_case):
    (appointment,) = arrange(north, north_case.case)
    appointments.appointment_cancel(actor=north.officer, contact=appointment, reason="Officer off sick")
    with pytest.raises(CaseworkError, match="already been cancelled"):
        appointments.appointment_cancel(actor=north.officer, contact=appointment, reason="Again")
    assert ContactAmendment.objects.filter(contact=appointment).count() == 1


def test_an_appointment_with_an_outcome_cannot_move(north, north_case):
    contact = north_case.contact  # a past appointment
    services.contact_outcome_record(actor=north.officer, contact=contact, outcome="ATTC")
    with pytest.raises(CaseworkError, match="outcome has been recorded"):
        appointments.appointment_cancel(actor=north.officer, contact=contact, reason="Mistake")
    contact.refresh_from_db()
    assert not contact.is_cancelled


def test_an_appointment_that_has_started_cannot_be_cancelled(north, north_case):
    with pytest.raises(CaseworkError, match="already started"):
        appointments.appointment_cancel(actor=north.officer, contact=north_case.contact, reason="Did not come")
    north_case.contact.refresh_from_db()
    assert not north_case.contact.is_cancelled


def test_reschedule_into_the_past_is_refused(north, north_case):
    (appointment,) = arrange(north, north_case.case)
    with pytest.raises(CaseworkError, match="must be in the future"):
        appointments.appointment_reschedule(
            actor=north.officer,
            contact=appointment,
            starts_at=timezone.now() - timedelta(hours=1),
            reason="x",
        )
    assert Contact.objects.filter(service_user=north_case.case, arranged=True).count() == 2  # full case's + this


def test_the_rest_of_a_series_moves_together_and_earlier_ones_stay(north, north_case):
    series = arrange(north, north_case.case, days=(2, 9, 16, 23))
    second = series[1]
    new_start = datetime.combine(_day(10), time(15, 0), tzinfo=LOCAL_TZ)
    moved = appointments.appointment_reschedule(
        actor=north.officer, contact=second, starts_at=new_start, reason="Move to Thursdays", scope="rest"
    )
    assert [m.starts_at.date() for m in moved] == [_day(10), _day(17), _day(24)]
    assert all(timezone.localtime(m.starts_at).time() == time(15, 0) for m in moved)
    series[0].refresh_from_db()
    assert series[0].outcome == "" and series[0].rescheduled_to is None
    assert len({m.series for m in moved}) == 1 and moved[0].series != second.series


def test_cancel_the_rest_of_a_series(north, north_case):
    series = arrange(north, north_case.case, days=(2, 9, 16))
    cancelled = appointments.appointment_cancel(
        actor=north.officer, contact=series[1], reason="Order revoked", scope="rest"
    )
    assert {c.pk for c in cancelled} == {series[1].pk, series[2].pk}
    assert not Contact.objects.get(pk=series[0].pk).is_cancelled
    assert "2 appointments cancelled" in north_case.case.events.first().summary


def test_a_cancelled_appointment_is_not_waiting_for_an_outcome(north, north_case):
    (appointment,) = arrange(north, north_case.case)

    def waiting():
        entries = due_entries([north_case.case.pk], timezone.localdate(), Thresholds())[north_case.case.pk]
        return [e for e in entries if e["section"] == "outcomes" and e["kwargs"].get("contact_id") == appointment.pk]

    assert waiting()
    appointments.appointment_cancel(actor=north.officer, contact=appointment, reason="Bank holiday")
    assert not waiting()


# Pages


def _url(case, contact, action):
    return f"/cases/{case.crn}/appointments/{contact.pk}/{action}/"


def test_reschedule_page(client_for, north, north_case):
    (appointment,) = arrange(north, north_case.case)
    day = _day(6)
    response = client_for(north.officer).post(
        _url(north_case.case, appointment, "reschedule"),
        {
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "start_time": "11:15",
            "location": "Westshire office",
            "moved_by": "RSSR",
            "reason": "Officer in court",
        },
    )
    assert response.status_code == 302
    new = Contact.objects.get(rescheduled_from=appointment)
    assert timezone.localtime(new.starts_at).date() == day


def test_reschedule_page_into_the_past_saves_nothing(client_for, north, north_case):
    (appointment,) = arrange(north, north_case.case)
    day = _day(-2)
    response = client_for(north.officer).post(
        _url(north_case.case, appointment, "reschedule"),
        {
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "start_time": "11:15",
            "moved_by": "RSSR",
            "reason": "Officer in court",
        },
    )
    assert response.status_code == 200
    assert "The new date and time must be in the future" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.outcome == "" and not Contact.objects.filter(rescheduled_from=appointment).exists()


def test_cancel_page_needs_a_reason_and_saves_nothing_without_one(client_for, north, north_case):
    (appointment,) = arrange(north, north_case.case)
    response = client_for(north.officer).post(_url(north_case.case, appointment, "cancel"), {"reason": "  "})
    assert response.status_code == 200
    assert "Enter the reason" in response.content.decode()
    appointment.refresh_from_db()
    assert not appointment.is_cancelled


def test_cancel_page_twice_says_it_is_already_cancelled(client_for, north, north_case):
    (appointment,) = arrange(north, north_case.case)
    client = client_for(north.officer)
    client.post(_url(north_case.case, appointment, "cancel"), {"reason": "Officer off sick"})
    response = client.post(_url(north_case.case, appointment, "cancel"), {"reason": "Again"}, follow=True)
    assert "already been cancelled" in response.content.decode()
    assert appointment.amendments.count() == 1
    page = client.get(_url(north_case.case, appointment, "cancel")).content.decode()
    assert "already been cancelled" in page and "Cancel appointment</button>" not in page


def test_reschedule_on_another_teams_case_is_404(client_for, south, north, north_case):
    (appointment,) = arrange(north, north_case.case)
    response = client_for(south.officer).post(
        _url(north_case.case, appointment, "reschedule"), {"reason": "x", "moved_by": "RSSR"}
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.outcome == ""


def test_overview_shows_the_next_appointment_not_a_cancelled_one(client_for, north, north_case):
    first, second = arrange(north, north_case.case, days=(2, 4))
    client = client_for(north.officer)
    page = client.get(f"/cases/{north_case.case.crn}/").content.decode()
    assert f"/contacts/{first.pk}/" in page and "Next appointment:" in page
    appointments.appointment_cancel(actor=north.officer, contact=first, reason="Bank holiday")
    page = client.get(f"/cases/{north_case.case.crn}/").content.decode()
    assert f"/contacts/{second.pk}/" in page and f'/contacts/{first.pk}/"' not in page
