"""Writes leave a timeline entry saying who changed what; officer history is kept."""

from datetime import date

import pytest

from casework import services
from casework.models import CaseEvent, Offence, ResponsibleOfficerAssignment, RestrainingOrder
from core.errors import CaseworkError
from tests import factories
from tests.casework.test_forms import date_fields, order_data


def test_editing_a_record_records_before_and_after(client_for, north, north_case):
    url = f"/cases/{north_case.case.crn}/orders/{north_case.order.pk}/edit/"
    data = order_data(court="Eastford Magistrates' Court", status="active")
    data.update(date_fields("sentence_date", north_case.order.sentence_date))
    data.update(date_fields("start_date", north_case.order.start_date))
    data.update(date_fields("expected_end_date", north_case.order.expected_end_date))
    response = client_for(north.officer).post(url, data)
    assert response.status_code == 302
    event = north_case.case.events.get()
    assert event.actor == north.officer
    assert event.summary.startswith("Order updated")
    assert event.changes == [
        {"field": "Sentencing court", "from": "Westshire Magistrates' Court", "to": "Eastford Magistrates' Court"}
    ]
    north_case.order.refresh_from_db()
    assert north_case.order.updated_by == north.officer

    timeline = client_for(north.officer).get(f"/cases/{north_case.case.crn}/timeline/").content.decode()
    assert "Order updated" in timeline and "Eastford Magistrates&#x27; Court" in timeline
    assert str(north.officer) in timeline


def test_saving_without_changes_adds_no_event(client_for, north, north_case):
    person = north_case.key_individual
    data = {
        "full_name": person.full_name,
        "relationship": person.relationship,
        "involve": "on" if person.involve else "",
    }
    client_for(north.officer).post(f"/cases/{north_case.case.crn}/key-individuals/{person.pk}/edit/", data)
    assert not north_case.case.events.exists()


def test_adding_a_record_names_it_on_the_timeline(client_for, north, north_case):
    data = {
        "agency_type": "counselling",
        "organisation": "Talking Therapies",
        "role": "Counselling",
        **date_fields("started_on", date.today()),
    }
    response = client_for(north.officer).post(f"/cases/{north_case.case.crn}/agencies/new/", data)
    assert response.status_code == 302
    assert north_case.case.events.get().summary == "Agency involved added: Counselling: Talking Therapies"
    follow = client_for(north.officer).get(response.url)
    assert "Talking Therapies" in follow.content.decode()


def test_changing_responsible_officer_keeps_history(north, north_case):
    new_officer = factories.UserFactory(teams=[north.team])
    services.responsible_officer_assign(
        actor=north.manager, case=north_case.case, officer=new_officer, reason="Workload balancing"
    )
    north_case.case.refresh_from_db()
    assert north_case.case.responsible_officer == new_officer
    event = north_case.case.events.get()
    assert event.summary == f"Responsible officer changed to {new_officer} (was {north.officer})"
    assert event.changes == [{"field": "Reason", "from": "", "to": "Workload balancing"}]
    history = list(north_case.case.officer_history.order_by("started_at"))
    assert history[-1].officer == new_officer and history[-1].ended_at is None


def test_cannot_assign_an_officer_from_another_team(north, south, north_case):
    with pytest.raises(CaseworkError, match="is not a member of"):
        services.responsible_officer_assign(
            actor=north.manager, case=north_case.case, officer=south.officer, reason="x"
        )
    assert not ResponsibleOfficerAssignment.objects.exists()


def test_one_current_officer_per_case(north, north_case):
    second = factories.UserFactory(teams=[north.team])
    third = factories.UserFactory(teams=[north.team])
    for officer in (second, third):
        services.responsible_officer_assign(actor=north.manager, case=north_case.case, officer=officer, reason="x")
    current = ResponsibleOfficerAssignment.objects.filter(service_user=north_case.case, ended_at__isnull=True)
    assert [a.officer for a in current] == [third]


def test_case_events_are_append_only(north, north_case):
    event = services.record_case_event(actor=north.officer, case=north_case.case, kind="updated", summary="x")
    event.summary = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).summary == "x"


class TestServicesTakePlainValues:
    """The services work without a form, so allocation, sweeps and demo data reach the same rules."""

    def test_add_a_record_under_an_order(self, north, north_case):
        offence = services.case_record_add(
            actor=north.officer,
            case=north_case.case,
            model=Offence,
            values={"order": north_case.order, "description": "Harassment", "domestic_abuse": True},
        )
        assert offence.created_by == north.officer and offence.order == north_case.order
        assert north_case.case.events.get().summary == "Offence added: Harassment"

    def test_a_record_of_another_case_is_refused(self, north, north_case, south_case):
        with pytest.raises(CaseworkError, match="Select a record of this case"):
            services.case_record_add(
                actor=north.officer,
                case=north_case.case,
                model=RestrainingOrder,
                values={
                    "court": "Westshire Magistrates' Court",
                    "made_on": date(2026, 1, 5),
                    "until_further_order": True,
                    "conditions": "No contact",
                    "protected_people": [south_case.protected_person],
                },
            )
        with pytest.raises(CaseworkError, match="Select a record of this case"):
            services.case_record_add(
                actor=north.officer,
                case=north_case.case,
                model=Offence,
                values={"order": south_case.order, "description": "Harassment"},
            )
        assert not north_case.case.events.exists()

    def test_model_rules_become_field_errors(self, north, north_case):
        with pytest.raises(CaseworkError) as refused:
            services.case_record_add(
                actor=north.officer,
                case=north_case.case,
                model=RestrainingOrder,
                values={"court": "", "made_on": date(2026, 1, 5), "until_further_order": False, "conditions": "x"},
            )
        assert "court" in refused.value.errors
        assert not RestrainingOrder.objects.filter(conditions="x").exists()

    def test_change_records_before_and_after_with_the_models_labels(self, north, north_case):
        changes = services.case_record_change(
            actor=north.officer,
            case=north_case.case,
            record=north_case.order,
            values={"court": "Eastford Magistrates' Court"},
        )
        assert changes == [
            {"field": "Sentencing court", "from": "Westshire Magistrates' Court", "to": "Eastford Magistrates' Court"}
        ]

    def test_change_with_nothing_new_saves_nothing(self, north, north_case):
        assert services.case_record_change(
            actor=north.officer, case=north_case.case, record=north_case.order, values={"court": north_case.order.court}
        ) == []
        assert not north_case.case.events.exists()

    def test_new_case_with_a_bad_crn_is_refused(self, north):
        with pytest.raises(CaseworkError) as refused:
            services.service_user_create(
                actor=north.manager,
                crn="12345",
                team=north.team,
                first_name="Ann",
                last_name="Other",
                date_of_birth=date(1990, 1, 1),
                gender="F",
            )
        assert "crn" in refused.value.errors
