"""Dates must be plausible for the record (issue 18 point 5): a year typed wrong, or a date that cannot come before
another on the same record, is refused beside the field at fault, and nothing is saved."""

from datetime import date, timedelta

import pytest

from casework.constants import OrderType
from casework.models import AgencyInvolvement, Offence, Order, RestrainingOrder, UnpaidWorkExtension
from tests import factories
from tests.casework.test_forms import date_fields, order_data
from tests.form_helpers import refused, today


class TestOrders:
    def url(self, case):
        return f"/cases/{case.crn}/orders/new/"

    def test_a_community_order_sentenced_in_1900_is_refused(self, client_for, north, north_case):
        data = order_data(**date_fields("sentence_date", date(1900, 3, 3)))
        refused(
            client_for(north.officer),
            self.url(north_case.case),
            data,
            "sentence_date",
            "The sentence date must be on or after 1 January 2000. Check the year",
            Order,
        )

    def test_a_licence_after_a_sentence_decades_ago_is_saved(self, client_for, north, north_case):
        data = order_data(
            order_type=OrderType.LICENCE,
            **date_fields("sentence_date", date(1984, 6, 12)),
            **date_fields("start_date", date(2019, 4, 1)),
            **date_fields("expected_end_date", date(2099, 4, 1)),
        )
        response = client_for(north.officer).post(self.url(north_case.case), data)
        assert response.status_code == 302
        assert north_case.case.orders.filter(order_type=OrderType.LICENCE, sentence_date=date(1984, 6, 12)).exists()

    def test_a_licence_before_1960_is_refused(self, client_for, north, north_case):
        data = order_data(order_type=OrderType.LICENCE, **date_fields("sentence_date", date(1906, 6, 12)))
        refused(
            client_for(north.officer),
            self.url(north_case.case),
            data,
            "sentence_date",
            "The sentence date must be on or after 1 January 1960. Check the year",
            Order,
        )

    def test_until_the_type_is_chosen_an_old_sentence_is_not_called_a_mistake(self, client_for, north, north_case):
        data = order_data(order_type="", **date_fields("sentence_date", date(1984, 6, 12)))
        response = client_for(north.officer).post(self.url(north_case.case), data)
        assert dict(response.context["form"].errors) == {"order_type": ["Select the type of order"]}

    def test_a_community_order_cannot_start_in_the_future(self, client_for, north, north_case):
        data = order_data(**date_fields("start_date", today() + timedelta(days=7)))
        refused(
            client_for(north.officer),
            self.url(north_case.case),
            data,
            "start_date",
            "The start date must be today or in the past",
            Order,
        )

    def test_a_licence_can_start_on_a_release_date_to_come(self, client_for, north, north_case):
        data = order_data(
            order_type=OrderType.LICENCE,
            **date_fields("start_date", today() + timedelta(days=14)),
            **date_fields("expected_end_date", today() + timedelta(days=400)),
        )
        assert client_for(north.officer).post(self.url(north_case.case), data).status_code == 302

    def test_editing_keeps_the_original_when_the_start_moves_before_the_sentence(self, client_for, north, north_case):
        order = north_case.order
        url = f"/cases/{north_case.case.crn}/orders/{order.pk}/edit/"
        data = order_data(
            **date_fields("sentence_date", order.sentence_date),
            **date_fields("start_date", order.sentence_date - timedelta(days=1)),
        )
        refused(
            client_for(north.officer),
            url,
            data,
            "start_date",
            "The start date must be the same as or after the sentence date",
            Order,
        )
        start = order.start_date
        order.refresh_from_db()
        assert order.start_date == start


class TestOrderEnd:
    def test_a_year_typed_wrong_is_refused_beside_the_date(self, client_for, north, north_case):
        url = f"/cases/{north_case.case.crn}/orders/{north_case.order.pk}/end/"
        data = {"status": "completed", "reason": "All done", **date_fields("ended_on", date(1926, 5, 1))}
        refused(
            client_for(north.officer),
            url,
            data,
            "ended_on",
            "The date the order ended must be on or after 1 January 1960. Check the year",
            Order,
        )
        north_case.order.refresh_from_db()
        assert north_case.order.is_active

    def test_before_the_order_started_is_refused_beside_the_date(self, client_for, north, north_case):
        start = north_case.order.start_date
        url = f"/cases/{north_case.case.crn}/orders/{north_case.order.pk}/end/"
        data = {"status": "completed", "reason": "All done", **date_fields("ended_on", start - timedelta(days=1))}
        response = client_for(north.officer).post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors["ended_on"] == [
            f"The order cannot end before it started ({start.day} {start:%B %Y})"
        ]
        north_case.order.refresh_from_db()
        assert north_case.order.is_active


class TestUnpaidWorkExtension:
    def test_granted_in_1900_is_refused(self, client_for, north, north_case):
        url = f"/cases/{north_case.case.crn}/requirements/{north_case.requirement.pk}/extensions/new/"
        data = {
            "court": "Westshire MC",
            **date_fields("extended_to", today() + timedelta(days=400)),
            **date_fields("granted_on", date(1900, 1, 2)),
        }
        refused(
            client_for(north.officer),
            url,
            data,
            "granted_on",
            "The date granted must be on or after 1 January 2000. Check the year",
            UnpaidWorkExtension,
        )


class TestOffence:
    def url(self, full):
        return f"/cases/{full.case.crn}/orders/{full.order.pk}/offences/new/"

    def test_an_offence_after_the_sentence_is_refused(self, client_for, north, north_case):
        sentenced = north_case.order.sentence_date
        data = {"description": "Theft", "is_main": "on", **date_fields("offence_date", sentenced + timedelta(days=2))}
        refused(
            client_for(north.officer),
            self.url(north_case),
            data,
            "offence_date",
            f"The date of offence must be on or before the sentence date, {sentenced.day} {sentenced:%B %Y}",
            Offence,
        )

    def test_an_offence_before_the_service_user_was_10_is_refused(self, client_for, north, north_case):
        born = north_case.case.date_of_birth  # 14 March 1994
        data = {"description": "Theft", **date_fields("offence_date", date(2001, 1, 1))}
        refused(
            client_for(north.officer),
            self.url(north_case),
            data,
            "offence_date",
            f"The date of offence must be on or after the service user's 10th birthday, 14 March {born.year + 10} "
            "(the age of criminal responsibility)",
            Offence,
        )

    def test_a_historic_offence_is_saved(self, client_for, north, north_case):
        data = {"description": "Historic theft", **date_fields("offence_date", date(2012, 8, 1))}
        assert client_for(north.officer).post(self.url(north_case), data).status_code == 302
        assert Offence.objects.filter(order=north_case.order, description="Historic theft").exists()


class TestRestrainingOrder:
    def test_made_before_restraining_orders_existed_is_refused(self, client_for, north, north_case):
        data = {
            "court": "Westshire MC",
            "conditions": "No contact",
            "until_further_order": "on",
            **date_fields("made_on", date(1980, 5, 1)),
        }
        refused(
            client_for(north.officer),
            f"/cases/{north_case.case.crn}/restraining-orders/new/",
            data,
            "made_on",
            "The date the order was made must be on or after 1 January 1997. Check the year",
            RestrainingOrder,
        )

    def test_an_expiry_to_come_is_saved(self, client_for, north, north_case):
        data = {
            "court": "Westshire MC",
            "conditions": "No contact",
            **date_fields("made_on", today() - timedelta(days=3)),
            **date_fields("expires_on", today() + timedelta(days=700)),
        }
        response = client_for(north.officer).post(f"/cases/{north_case.case.crn}/restraining-orders/new/", data)
        assert response.status_code == 302


class TestAgency:
    def data(self, started, ended=None):
        return {
            "agency_type": "police",
            "organisation": "Westshire Police",
            "role": "Checks",
            **date_fields("started_on", started),
            **date_fields("ended_on", ended),
        }

    @pytest.mark.parametrize(
        "started, ended, field, message",
        [
            (
                date(1900, 2, 1),
                None,
                "started_on",
                "The date the agency became involved must be on or after 1 January 2000. Check the year",
            ),
            (
                date.today() - timedelta(days=9),
                date.today() + timedelta(days=9),
                "ended_on",
                "The date involvement ended must be today or in the past",
            ),
        ],
    )
    def test_implausible_dates_are_refused(self, client_for, north, north_case, started, ended, field, message):
        url = f"/cases/{north_case.case.crn}/agencies/new/"
        refused(client_for(north.officer), url, self.data(started, ended), field, message, AgencyInvolvement)


def test_an_older_order_of_the_case_is_not_rechecked_by_a_new_one(client_for, north):
    """Only the record being saved is checked: a case's other records keep their dates."""
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    factories.OrderFactory(service_user=case, order_type=OrderType.LICENCE, sentence_date=date(1975, 1, 1))
    response = client_for(north.officer).post(f"/cases/{case.crn}/orders/new/", order_data())
    assert response.status_code == 302
