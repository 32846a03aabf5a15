"""Orders have a life: they end once, on a day between their start and today, with a reason; when a case's last
active order ends the case closes (a termination contact, a closure reason), and a closed case is skipped by
sweeps, reminders and "What's due", and takes no new contacts or appointments."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework import rules, services
from casework.constants import EventKind, OrderStatus
from casework.models import Notification, Order, ServiceUser
from contacts import services as contact_services
from contacts import sweeps as contact_sweeps
from contacts.constants import ContactType, Outcome
from contacts.models import Contact, ContactPlan
from core.errors import CaseworkError
from risk import selectors as risk_selectors
from risk import sweeps as risk_sweeps
from risk.constants import Rating
from risk.whats_due import whats_due
from tests import factories
from tests.casework.test_forms import date_fields, error_summary
from tests.contacts.test_contacts import contact_data, when

TODAY = date(2026, 11, 29)
START = date(2026, 1, 10)


def end_error(**overrides):
    values = dict(status=OrderStatus.COMPLETED, active=True, start=START, ended_on=TODAY, today=TODAY, reason="Done")
    return rules.order_end_error(**{**values, **overrides})


class TestEndRule:
    def test_an_active_order_ends_on_any_day_from_its_start_to_today(self):
        assert end_error() is None
        assert end_error(ended_on=START) is None  # the day it started
        assert end_error(ended_on=START - timedelta(days=1))[0] == "ended_on"
        assert end_error(ended_on=TODAY + timedelta(days=1)) == (
            "ended_on",
            "The date the order ended must be today or in the past",
        )

    def test_it_ends_once_in_an_ended_status_with_a_reason(self):
        assert end_error(active=False) == ("status", "This order has already ended")
        assert end_error(status=OrderStatus.ACTIVE) == ("status", "Select how the order ended")
        assert end_error(reason="  ") == ("reason", "Enter why the order ended")

    @pytest.mark.parametrize(
        "status",
        [
            OrderStatus.COMPLETED,
            OrderStatus.TERMINATED,
            OrderStatus.REVOKED,
            OrderStatus.BREACHED,
            OrderStatus.TRANSFERRED,
        ],
    )
    def test_every_ended_status_is_allowed(self, status):
        assert end_error(status=status) is None


@pytest.fixture
def plan(north_case):
    return factories.ContactPlanFactory(
        service_user=north_case.case, frequency_days=7, starts_on=timezone.localdate() - timedelta(days=100)
    )


def end(actor, order, **overrides):
    values = dict(status=OrderStatus.COMPLETED, ended_on=timezone.localdate(), reason="All requirements completed")
    return services.order_end(actor=actor, order_id=order.pk, **{**values, **overrides})


class TestEndService:
    def test_ending_the_last_order_closes_the_case_with_a_termination_contact(self, north, north_case, plan):
        end(north.officer, north_case.order)
        order = Order.objects.get(pk=north_case.order.pk)
        assert (order.status, order.ended_on, order.end_reason) == (
            OrderStatus.COMPLETED,
            timezone.localdate(),
            "All requirements completed",
        )
        case = ServiceUser.objects.get(pk=north_case.case.pk)
        assert case.is_closed and case.closed_on == timezone.localdate()
        assert "All requirements completed" in case.closure_reason
        termination = Contact.objects.get(service_user=case, contact_type=ContactType.TERM)
        assert termination.officer == north.officer and "Supervision ended" in termination.notes
        assert ContactPlan.objects.get(pk=plan.pk).ends_on == timezone.localdate()
        summaries = list(case.events.values_list("summary", flat=True))
        assert any(s.startswith("Order ended (completed)") for s in summaries)
        assert case.events.filter(kind=EventKind.CLOSED).count() == 1

    def test_closing_the_case_cancels_appointments_still_to_come(self, north, north_case, plan):
        (coming,) = contact_services.appointments_arrange(
            actor=north.officer,
            case=north_case.case,
            contact_type=ContactType.COAP,
            starts=[timezone.now() + timedelta(days=3)],
            duration=timedelta(hours=1),
            location="Office",
            notes="",
            sensitive=False,
        )
        end(north.officer, north_case.order)
        coming.refresh_from_db()
        assert coming.cancelled_at is not None
        assert coming.cancel_reason.startswith("Case closed:") and "All requirements completed" in coming.cancel_reason
        past = Contact.objects.get(pk=north_case.contact.pk)
        assert past.cancelled_at is None  # a past appointment still waits for its outcome

    def test_another_active_order_keeps_the_case_open(self, north, north_case):
        factories.OrderFactory(service_user=north_case.case)
        end(north.officer, north_case.order, status=OrderStatus.TRANSFERRED, reason="Transferred to Southbank")
        case = ServiceUser.objects.get(pk=north_case.case.pk)
        assert not case.is_closed
        assert not Contact.objects.filter(service_user=case, contact_type=ContactType.TERM).exists()

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"ended_on": date(2000, 1, 1)}, "ended_on"),
            ({"ended_on": date.today() + timedelta(days=2)}, "ended_on"),
            ({"status": OrderStatus.ACTIVE}, "status"),
            ({"reason": ""}, "reason"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(self, north, north_case, overrides, field):
        events = north_case.case.events.count()
        with pytest.raises(CaseworkError) as error:
            end(north.officer, north_case.order, **overrides)
        assert field in error.value.errors
        assert Order.objects.get(pk=north_case.order.pk).status == OrderStatus.ACTIVE
        assert not ServiceUser.objects.get(pk=north_case.case.pk).is_closed
        assert north_case.case.events.count() == events

    def test_an_order_ends_once(self, north, north_case):
        end(north.officer, north_case.order)
        with pytest.raises(CaseworkError, match="already ended"):
            end(north.officer, north_case.order, status=OrderStatus.REVOKED)
        assert Contact.objects.filter(contact_type=ContactType.TERM).count() == 1

    def test_breached_is_allowed_here_with_a_reason(self, north, north_case):
        end(north.officer, north_case.order, status=OrderStatus.BREACHED, reason="Revoked and resentenced on breach")
        assert Order.objects.get(pk=north_case.order.pk).get_status_display() == "Breached"


@pytest.fixture
def closed(north, north_case, plan):
    end(north.officer, north_case.order)
    return ServiceUser.objects.get(pk=north_case.case.pk)


class TestClosedCase:
    def test_no_new_contacts_or_appointments(self, north, closed):
        with pytest.raises(CaseworkError, match="This case is closed"):
            contact_services.contact_log(
                actor=north.officer, case=closed, contact_type=ContactType.COAP, starts_at=when(0, 0)
            )
        with pytest.raises(CaseworkError, match="This case is closed"):
            contact_services.appointments_arrange(
                actor=north.officer,
                case=closed,
                contact_type=ContactType.COAP,
                starts=[timezone.now() + timedelta(days=2)],
                duration=timedelta(hours=1),
                location="Office",
                notes="",
                sensitive=False,
            )

    def test_the_outcome_of_a_past_appointment_can_still_be_recorded(self, north, north_case, closed):
        contact = contact_services.contact_outcome_record(
            actor=north.officer, contact=north_case.contact, outcome=Outcome.ATTC
        )
        assert contact.outcome == Outcome.ATTC

    def test_the_contact_page_refuses_with_a_clear_error(self, client_for, north, closed):
        yesterday = timezone.localdate() - timedelta(days=1)
        response = client_for(north.officer).post(f"/cases/{closed.crn}/contacts/new/", contact_data(yesterday))
        assert response.status_code == 200
        assert any("This case is closed" in message for message in error_summary(response))

    def test_the_arrange_page_refuses_with_a_clear_error(self, client_for, north, closed):
        start = timezone.localdate() + timedelta(days=2)
        response = client_for(north.officer).post(
            f"/cases/{closed.crn}/appointments/new/",
            {
                "contact_type": ContactType.COAP,
                **date_fields("day", start),
                "start_time": "10:00",
                "end_time": "11:00",
                "repeat": "none",
                **date_fields("repeat_until", None),
                "location": "Office",
            },
        )
        assert response.status_code == 200
        assert any("This case is closed" in message for message in error_summary(response))
        assert not Contact.objects.filter(service_user=closed, starts_at__gt=timezone.now()).exists()

    def test_sweeps_skip_a_closed_case(self, north, closed):
        factories.ContactPlanFactory(service_user=closed, frequency_days=7, starts_on=date.today() - timedelta(days=90))
        assert list(contact_sweeps.cases_with_plans()) == []
        assert closed.pk not in list(risk_sweeps.scheduled_cases())
        factories.ContactFactory(
            service_user=closed,
            officer=north.officer,
            outcome=Outcome.AFTA,
            starts_at=timezone.now() - timedelta(days=30),
        )
        assert contact_sweeps.escalate_absence_decisions(timezone.localdate()) == 0
        assert not Notification.objects.filter(service_user=closed).exists()

    def test_whats_due_skips_a_closed_case(self, north, closed):
        sections = whats_due(north.officer)
        assert not any(item.case.pk == closed.pk for items in sections.values() for item in items)

    def test_not_rated_and_says_case_closed(self, closed):
        results = risk_selectors.case_criteria(closed)
        assert {result.rating for result in results} == {Rating.NOT_APPLICABLE}
        assert results[0].evidence[0].startswith("Case closed on")

    def test_header_and_caseload_show_the_case_closed(self, client_for, north, closed):
        client = client_for(north.officer)
        overview = client.get(f"/cases/{closed.crn}/").content.decode()
        assert 'id="case-closed"' in overview and "Case closed" in overview
        caseload = client.get("/cases/").content.decode()
        assert "Case closed" in caseload


class TestEndPage:
    def url(self, full):
        return f"/cases/{full.case.crn}/orders/{full.order.pk}/end/"

    def test_the_sentence_page_links_to_end_the_order(self, client_for, north, north_case):
        html = client_for(north.officer).get(f"/cases/{north_case.case.crn}/sentence/").content.decode()
        assert self.url(north_case) in html

    def test_ending_the_last_order_warns_then_closes_the_case(self, client_for, north, north_case):
        client = client_for(north.officer)
        page = client.get(self.url(north_case)).content.decode()
        assert "Ending it closes the case" in page and "How did the order end?" in page
        response = client.post(
            self.url(north_case),
            {
                "status": OrderStatus.REVOKED,
                "reason": "Revoked on application",
                **date_fields("ended_on", date.today()),
            },
            follow=True,
        )
        assert "the case is now closed" in response.content.decode()
        assert ServiceUser.objects.get(pk=north_case.case.pk).is_closed

    def test_errors_are_shown_in_words(self, client_for, north, north_case):
        response = client_for(north.officer).post(self.url(north_case), {**date_fields("ended_on", None)})
        assert set(error_summary(response)) == {
            "Select how the order ended",
            "Enter the date the order ended",
            "Enter why the order ended",
        }
        early = client_for(north.officer).post(
            self.url(north_case),
            {"status": OrderStatus.COMPLETED, "reason": "Done", **date_fields("ended_on", date(2001, 1, 1))},
        )
        assert any("cannot end before it started" in message for message in error_summary(early))
        assert Order.objects.get(pk=north_case.order.pk).is_active


def test_the_demo_has_a_closed_case_with_its_order_ended(db):
    call_command("seed_demo", stdout=StringIO())
    closed = ServiceUser.objects.get(closed_on__isnull=False)
    order = closed.orders.get()
    assert order.status in (OrderStatus.COMPLETED, OrderStatus.TERMINATED) and order.end_reason
    assert closed.contacts.filter(contact_type=ContactType.TERM).count() == 1
    assert not closed.contact_plans.filter(ends_on__isnull=True).exists()
