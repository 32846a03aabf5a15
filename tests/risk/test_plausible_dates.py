"""Dates on the risk record, enquiries and checks (and a workload reduction) must be plausible (issue 18 point 5):
a year typed wrong is refused beside the field, and nothing is saved."""

from datetime import date, timedelta

import pytest

from allocation.models import OfficerProfile, WorkloadReduction
from casework.models import CaseEvent
from risk.models import CheckTriggerEvent, Enquiry, RiskAssessment
from tests.casework.test_forms import date_fields
from tests.form_helpers import today

CASES = [
    (
        "assessment/new/",
        RiskAssessment,
        {"rosh_level": "low", **date_fields("assessed_on", date(1900, 4, 1)), **date_fields("review_on", today())},
        "assessed_on",
        "The date the risk was assessed must be on or after 1 January 2000. Check the year",
    ),
    (
        "enquiries/new/",
        Enquiry,
        {
            "kind": "da",
            **date_fields("requested_on", date(1999, 4, 1)),
            **date_fields("response_due_on", today() + timedelta(days=7)),
        },
        "requested_on",
        "The date the enquiry was requested must be on or after 1 January 2000. Check the year",
    ),
    (
        "changes/new/",
        CheckTriggerEvent,
        {"trigger": "relationship", **date_fields("noticed_on", date(1926, 4, 1))},
        "noticed_on",
        "The date you learned of it must be on or after 1 January 2000. Check the year",
    ),
]


@pytest.mark.parametrize("suffix, model, data, field, message", CASES, ids=[c[0] for c in CASES])
def test_a_year_typed_wrong_is_refused(client_for, north, north_case, suffix, model, data, field, message):
    before, events = model.objects.count(), CaseEvent.objects.count()
    response = client_for(north.officer).post(f"/cases/{north_case.case.crn}/risk/{suffix}", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert model.objects.count() == before
    assert CaseEvent.objects.count() == events


def test_a_chase_in_1900_is_refused_and_the_enquiry_stays_unchased(client_for, north, north_case):
    enquiry = north_case.enquiry
    response = client_for(north.officer).post(
        f"/cases/{north_case.case.crn}/risk/enquiries/{enquiry.pk}/chase/", date_fields("chased_on", date(1900, 1, 9))
    )
    assert response.context["form"].errors["chased_on"] == [
        "The date you chased the response must be on or after 1 January 2000. Check the year"
    ]
    enquiry.refresh_from_db()
    assert enquiry.last_chased_on is None


def test_a_response_before_the_request_is_refused(client_for, north, north_case):
    enquiry = north_case.enquiry
    response = client_for(north.officer).post(
        f"/cases/{north_case.case.crn}/risk/enquiries/{enquiry.pk}/response/",
        {"result": "none", **date_fields("received_on", enquiry.requested_on - timedelta(days=1))},
    )
    assert response.context["form"].errors["received_on"] == [
        "The response cannot be received before the enquiry was requested"
    ]
    enquiry.refresh_from_db()
    assert enquiry.response_received_on is None


def test_a_workload_reduction_from_1900_is_refused(client_for, admin_user, north):
    profile = OfficerProfile.objects.create(user=north.officer, experience_years=3)
    response = client_for(admin_user).post(
        f"/allocation/officers/{profile.pk}/reductions/new/",
        {"hours": "7.4", "reason": "Practice teacher", **date_fields("starts_on", date(1900, 1, 1))},
    )
    assert response.context["form"].errors["starts_on"] == [
        "The date the reduction starts must be on or after 1 January 2000. Check the year"
    ]
    assert not WorkloadReduction.objects.exists()
