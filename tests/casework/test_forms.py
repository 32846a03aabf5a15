"""Bad input gets a clear message and saves nothing."""

from datetime import date, timedelta

import pytest

from casework.models import (
    AgencyInvolvement,
    CaseEvent,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    RestrainingOrder,
    ServiceUser,
)


def date_fields(name: str, value: date | None) -> dict:
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def error_summary(response) -> list[str]:
    form = response.context["form"]
    return [message for errors in form.errors.values() for message in errors]


def new_case_data(team, **overrides) -> dict:
    data = {
        "crn": "X123456",
        "team": team.pk,
        "responsible_officer": "",
        "first_name": "Michelle",
        "last_name": "Dawson",
        "gender": "F",
        **date_fields("date_of_birth", date(1994, 3, 14)),
    }
    data.update(overrides)
    return data


class TestNewCase:
    def test_creates_case_with_officer_and_timeline(self, client_for, north):
        data = new_case_data(north.team, responsible_officer=north.officer.pk, crn=" x123456 ")
        response = client_for(north.officer).post("/cases/new/", data)
        assert response.status_code == 302
        case = ServiceUser.objects.get(crn="X123456")  # tidied: upper case, no spaces
        assert case.responsible_officer == north.officer
        assert case.officer_history.get().officer == north.officer
        summaries = list(case.events.values_list("summary", flat=True))
        assert any("Service user added" in s for s in summaries)
        assert any("Responsible officer changed" in s for s in summaries)

    @pytest.mark.parametrize("crn", ["123456X", "X12345", "X1234567", "XX12345", "X12 456", "X12345A", "!"])
    def test_crn_format_is_validated(self, client_for, north, crn):
        response = client_for(north.officer).post("/cases/new/", new_case_data(north.team, crn=crn))
        assert response.status_code == 200
        assert "Enter a CRN in the correct format: one letter followed by six numbers, like X123456" in error_summary(
            response
        )
        assert not ServiceUser.objects.exists()

    def test_duplicate_crn_is_refused_clearly(self, client_for, north, north_case):
        response = client_for(north.officer).post(
            "/cases/new/", new_case_data(north.team, crn=north_case.case.crn.lower())
        )
        messages = error_summary(response)
        assert f"A service user with CRN {north_case.case.crn} already exists. Search for them in Cases" in messages
        assert ServiceUser.objects.count() == 1

    def test_crn_unique_in_database_too(self, north_case):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceUser.objects.create(
                crn=north_case.case.crn,
                first_name="A",
                last_name="B",
                date_of_birth=date(1990, 1, 1),
                gender="M",
                team=north_case.case.team,
            )

    def test_missing_fields_each_get_a_message(self, client_for, north):
        response = client_for(north.officer).post("/cases/new/", {"team": north.team.pk})
        messages = error_summary(response)
        for expected in (
            "Enter the CRN",
            "Enter the first name",
            "Enter the last name",
            "Enter the date of birth",
            "Select the gender",
        ):
            assert expected in messages
        assert "There is a problem" in response.content.decode()
        assert not ServiceUser.objects.exists()

    @pytest.mark.parametrize(
        "born, message",
        [
            ((31, 2, 1990), "The date of birth must be a real date"),
            (("", 2, 1990), "The date of birth must include a day, month and year"),
            (("a", "b", "c"), "The date of birth must be a real date"),
            ((1, 1, 90), "The year of the date of birth must include 4 numbers, like 2026"),
        ],
    )
    def test_bad_dates_explained(self, client_for, north, born, message):
        data = new_case_data(north.team)
        data.update({"date_of_birth_0": born[0], "date_of_birth_1": born[1], "date_of_birth_2": born[2]})
        response = client_for(north.officer).post("/cases/new/", data)
        assert message in error_summary(response)
        assert not ServiceUser.objects.exists()

    def test_implausibly_old_date_of_birth_refused(self, client_for, north):
        data = new_case_data(north.team, **date_fields("date_of_birth", date(1900, 3, 1)))
        response = client_for(north.officer).post("/cases/new/", data)
        assert "Check the date of birth: the service user would be over 100" in error_summary(response)
        assert not ServiceUser.objects.exists()

    def test_future_date_of_birth_refused(self, client_for, north):
        data = new_case_data(north.team, **date_fields("date_of_birth", date.today() + timedelta(days=1)))
        response = client_for(north.officer).post("/cases/new/", data)
        assert "The date of birth must be today or in the past" in error_summary(response)

    def test_officer_must_belong_to_chosen_team(self, client_for, admin_user, north, south):
        data = new_case_data(north.team, responsible_officer=south.officer.pk)
        response = client_for(admin_user).post("/cases/new/", data)
        assert f"{south.officer} is not in {north.team}. Select an officer from that team" in error_summary(response)
        assert not ServiceUser.objects.exists()

    def test_cannot_open_case_in_another_team(self, client_for, north, south):
        response = client_for(north.officer).post("/cases/new/", new_case_data(south.team))
        assert "Select one of your teams" in error_summary(response)
        assert not ServiceUser.objects.exists()

    def test_bad_phone_and_postcode(self, client_for, north):
        data = new_case_data(north.team, phone="call me", postcode="NOT A CODE")
        messages = error_summary(client_for(north.officer).post("/cases/new/", data))
        assert "Enter a phone number, like 01632 960 001 or 07700 900 982" in messages
        assert "Enter a real postcode, like LS1 4AP" in messages


def order_data(**overrides):
    sentenced = date.today() - timedelta(days=10)
    data = {
        "order_type": "CO",
        "court": "Westshire Magistrates' Court",
        **date_fields("sentence_date", sentenced),
        **date_fields("start_date", sentenced),
        **date_fields("expected_end_date", sentenced + timedelta(days=365)),
    }
    data.update(overrides)
    return data


# (url suffix, model, bad data, expected message) for every record form.
BAD_INPUT = [
    ("orders/new/", Order, order_data(order_type=""), "Select the type of order"),
    (
        "orders/new/",
        Order,
        order_data(**date_fields("expected_end_date", date.today() - timedelta(days=20))),
        "The expected end date must be after the start date",
    ),
    (
        "orders/new/",
        Order,
        order_data(**date_fields("sentence_date", date.today() + timedelta(days=3))),
        "The sentence date must be today or in the past",
    ),
    (
        "orders/new/",
        Order,
        order_data(**date_fields("start_date", date.today() - timedelta(days=30))),
        "The start date must be the same as or after the sentence date",
    ),
    (
        "orders/{order_id}/requirements/new/",
        Requirement,
        {"requirement_type": "UPW"},
        "Enter the number of unpaid work hours ordered",
    ),
    (
        "orders/{order_id}/requirements/new/",
        Requirement,
        {"requirement_type": "UPW", "unpaid_work_hours": "301"},
        "Unpaid work hours must be between 40 and 300",
    ),
    (
        "orders/{order_id}/requirements/new/",
        Requirement,
        {"requirement_type": "UPW", "unpaid_work_hours": "eighty"},
        "Enter the hours as a whole number, like 80",
    ),
    (
        "orders/{order_id}/requirements/new/",
        Requirement,
        {"requirement_type": "RAR"},
        "Enter the number of rehabilitation activity days (at least 1)",
    ),
    (
        "orders/{order_id}/requirements/new/",
        Requirement,
        {"requirement_type": "CUR", "unpaid_work_hours": "80"},
        "Only unpaid work requirements have hours. Leave this blank",
    ),
    ("orders/{order_id}/requirements/new/", Requirement, {}, "Select the type of requirement"),
    ("orders/{order_id}/offences/new/", Offence, {}, "Enter the offence"),
    (
        "orders/{order_id}/offences/new/",
        Offence,
        {"description": "Theft", **date_fields("offence_date", date.today() + timedelta(days=1))},
        "The date of offence must be today or in the past",
    ),
    ("protected-people/new/", ProtectedPerson, {"relationship": "partner"}, "Enter the protected person's full name"),
    ("protected-people/new/", ProtectedPerson, {"full_name": "Alex"}, "Select their relationship to the service user"),
    (
        "restraining-orders/new/",
        RestrainingOrder,
        {"court": "Court", "conditions": "No contact", **date_fields("made_on", date.today())},
        "Enter the expiry date, or select that the order lasts until further order",
    ),
    (
        "restraining-orders/new/",
        RestrainingOrder,
        {
            "court": "Court",
            "conditions": "No contact",
            "until_further_order": "on",
            **date_fields("made_on", date.today()),
            **date_fields("expires_on", date.today() + timedelta(days=9)),
        },
        "Leave the expiry date blank when the order lasts until further order",
    ),
    (
        "restraining-orders/new/",
        RestrainingOrder,
        {
            "court": "Court",
            "conditions": "No contact",
            **date_fields("made_on", date.today()),
            **date_fields("expires_on", date.today() - timedelta(days=9)),
        },
        "The expiry date must be after the date the order was made",
    ),
    (
        "restraining-orders/new/",
        RestrainingOrder,
        {"until_further_order": "on", **date_fields("made_on", date.today())},
        "Enter the conditions of the order",
    ),
    ("key-individuals/new/", KeyIndividual, {"relationship": "parent"}, "Enter the key individual's full name"),
    (
        "key-individuals/new/",
        KeyIndividual,
        {"full_name": "Carol", "relationship": "parent", "phone": "12"},
        "Enter a phone number, like 01632 960 001 or 07700 900 982",
    ),
    ("agencies/new/", AgencyInvolvement, {"organisation": "Police", "role": "Checks"}, "Select the type of agency"),
    (
        "agencies/new/",
        AgencyInvolvement,
        {
            "agency_type": "police",
            "organisation": "Police",
            "role": "Checks",
            **date_fields("started_on", date.today()),
            **date_fields("ended_on", date.today() - timedelta(days=1)),
        },
        "The date involvement ended must be after the date it started",
    ),
]


@pytest.mark.parametrize("suffix, model, data, message", BAD_INPUT, ids=[f"{b[1].__name__}:{b[3]}" for b in BAD_INPUT])
def test_record_forms_refuse_bad_input(client_for, north, north_case, suffix, model, data, message):
    before = model.objects.count()
    events_before = CaseEvent.objects.count()
    url = f"/cases/{north_case.case.crn}/" + suffix.format(order_id=north_case.order.pk)
    response = client_for(north.officer).post(url, data)
    assert response.status_code == 200
    assert message in error_summary(response)
    html = response.content.decode()
    assert "There is a problem" in html and message.replace("'", "&#x27;") in html
    assert model.objects.count() == before
    assert CaseEvent.objects.count() == events_before


def test_edit_with_bad_input_keeps_the_original(client_for, north, north_case):
    url = f"/cases/{north_case.case.crn}/orders/{north_case.order.pk}/edit/"
    response = client_for(north.officer).post(url, order_data(court="", status="active"))
    assert "Enter the sentencing court" in error_summary(response)
    north_case.order.refresh_from_db()
    assert north_case.order.court == "Westshire Magistrates' Court"


def test_no_blank_radio_option(client_for, north, north_case):
    html = client_for(north.officer).get(f"/cases/{north_case.case.crn}/orders/new/").content.decode()
    assert "---------" not in html
    assert 'type="radio"' in html


def test_restraining_order_only_offers_this_cases_protected_people(client_for, north, north_case, south_case):
    response = client_for(north.officer).get(f"/cases/{north_case.case.crn}/restraining-orders/new/")
    choices = list(response.context["form"].fields["protected_people"].queryset)
    assert choices == [north_case.protected_person]
    # Posting another case's protected person is refused, not linked.
    data = {
        "court": "Court",
        "conditions": "No contact",
        "until_further_order": "on",
        **date_fields("made_on", date.today()),
        "protected_people": [south_case.protected_person.pk],
    }
    response = client_for(north.officer).post(f"/cases/{north_case.case.crn}/restraining-orders/new/", data)
    assert "Select people recorded as protected on this case" in error_summary(response)
    assert north_case.case.restraining_orders.count() == 1
