"""Stored keeping-people-safe ratings: read when current, recomputed whenever they could be wrong."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from casework.models import ServiceUser
from casework.services import records_changed
from contacts import services as contact_services
from contacts.constants import ContactType
from risk import case_status, rules, selectors
from risk.constants import Rating
from risk.models import CaseStatus, CriteriaRuleSet, RiskAssessment
from risk.tasks import sweep_case_status
from tests import factories
from tests.risk.test_risk_pages import michelle_like  # noqa: F401  (fixture)


def ratings(case):
    return {r.key: r.rating for r in selectors.case_criteria(ServiceUser.objects.get(pk=case.pk))}


def test_a_current_stored_rating_is_read_not_recomputed(michelle_like, django_assert_max_num_queries):  # noqa: F811
    first = selectors.case_criteria(michelle_like)
    with django_assert_max_num_queries(1):  # the case's stored rating, with the active rule set's version
        again = selectors.case_criteria(michelle_like)
    assert again == first
    assert CaseStatus.objects.get(service_user=michelle_like).ratings[0]["rating"] == Rating.MET


def test_a_new_record_makes_the_next_read_recompute(michelle_like):  # noqa: F811
    assert ratings(michelle_like)["home_visits"] == Rating.MET
    RiskAssessment.objects.create(
        service_user=michelle_like,
        rosh_level="high",
        assessed_on=timezone.localdate(),
        review_on=timezone.localdate() + timedelta(days=90),
    )
    assert ratings(michelle_like)["home_visits"] == Rating.PARTLY_MET


def test_changing_who_a_restraining_order_protects_marks_ratings_out_of_date(michelle_like):  # noqa: F811
    assert ratings(michelle_like)["victims"] == Rating.MET
    order = michelle_like.restraining_orders.get()
    before = ServiceUser.objects.get(pk=michelle_like.pk).records_version
    order.protected_people.clear()
    assert ServiceUser.objects.get(pk=michelle_like.pk).records_version > before


def test_an_arranged_series_marks_ratings_out_of_date(north, michelle_like):  # noqa: F811
    selectors.case_criteria(michelle_like)
    before = ServiceUser.objects.get(pk=michelle_like.pk).records_version
    start = timezone.now() + timedelta(days=2)
    contact_services.appointments_arrange(
        actor=north.officer,
        case=michelle_like,
        contact_type=ContactType.COAP,
        starts=[start, start + timedelta(days=7)],
        duration=timedelta(hours=1),
        location="Office",
        notes="",
        sensitive=False,
    )
    assert ServiceUser.objects.get(pk=michelle_like.pk).records_version > before


def test_a_change_that_bypasses_signals_is_seen_once_reported(north, michelle_like):  # noqa: F811
    assert ratings(michelle_like)["home_visits"] == Rating.MET
    RiskAssessment.objects.bulk_create(
        [
            RiskAssessment(
                service_user=michelle_like,
                rosh_level="very_high",
                assessed_on=timezone.localdate(),
                review_on=timezone.localdate() + timedelta(days=30),
            )
        ]
    )
    records_changed(michelle_like.pk)
    assert ratings(michelle_like)["home_visits"] == Rating.PARTLY_MET


def test_a_rating_computed_before_a_change_is_not_used_after_it(michelle_like):  # noqa: F811
    """A rating stored under an older records version (a write committed while it was computed) is stale."""
    ratings(michelle_like)
    CaseStatus.objects.filter(service_user=michelle_like).update(records_version=F("records_version") - 1)
    CaseStatus.objects.filter(service_user=michelle_like).update(
        ratings=[
            {"key": k, "rating": Rating.NOT_MET, "evidence": [], "recommendation": "", "links": []}
            for k in rules.CRITERIA
        ]
    )
    assert ratings(michelle_like)["contact"] == Rating.MET


def test_time_passing_is_seen_the_next_day(michelle_like):  # noqa: F811
    assert ratings(michelle_like)["contact"] == Rating.MET
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert ratings(michelle_like)["contact"] == Rating.NOT_MET  # weekly contact, none for a month


def test_a_new_rule_set_is_applied_at_once(michelle_like):  # noqa: F811
    assert ratings(michelle_like)["key_individuals"] == Rating.MET  # mother seen 20 days ago, window 84
    current = CriteriaRuleSet.objects.get(active=True)
    CriteriaRuleSet.objects.filter(pk=current.pk).update(active=False)
    CriteriaRuleSet.objects.create(
        version=current.version + 1, thresholds={**current.thresholds, "key_individual_window": 10}
    )
    assert ratings(michelle_like)["key_individuals"] != Rating.MET
    assert CaseStatus.objects.get(service_user=michelle_like).rule_set_version == current.version + 1


def test_with_no_active_rule_set_the_defaults_apply_and_are_kept(
    michelle_like,  # noqa: F811
    django_assert_num_queries,
):
    CriteriaRuleSet.objects.update(active=False)
    first = selectors.case_criteria(michelle_like)
    assert {r.key: r.rating for r in first}["key_individuals"] == Rating.MET  # the default window, 84 days
    assert CaseStatus.objects.get(service_user=michelle_like).rule_set_version == 0
    with django_assert_num_queries(1):  # stored under "no rule set", so read back, not worked out again
        again = selectors.case_criteria(michelle_like)
    assert again == first


@pytest.mark.parametrize("size", [3, 12])
def test_the_nightly_sweep_stores_a_rating_for_every_case(size, north, django_assert_max_num_queries):
    for index in range(size):
        factories.ServiceUserFactory(team=north.team, crn=f"R{index:06d}")
    sweep_case_status.delay()
    assert CaseStatus.objects.filter(computed_on=timezone.localdate()).count() == size
    with django_assert_max_num_queries(3):
        rows = selectors.team_criteria(ServiceUser.objects.filter(team=north.team))
    assert len(rows) == size


def test_an_appointment_needs_its_outcome_once_it_has_started(client_for, north, michelle_like):  # noqa: F811
    client = client_for(north.officer)
    start = timezone.now() + timedelta(minutes=10)  # within the session's idle timeout
    factories.ContactFactory(service_user=michelle_like, officer=north.officer, starts_at=start, arranged=True)
    assert "Outcomes to log (0)" in client.get("/due/").content.decode()
    stored = CaseStatus.objects.get(service_user=michelle_like)
    with time_machine.travel(start + timedelta(minutes=2)):
        html = client.get("/due/").content.decode()
    assert "Outcomes to log (1)" in html and "Log outcome" in html
    # Nothing about the case changed, so the stored status was read, not worked out again.
    assert CaseStatus.objects.get(service_user=michelle_like).records_version == stored.records_version


def test_a_status_stored_in_an_older_format_is_worked_out_again(michelle_like):  # noqa: F811
    ratings(michelle_like)
    old_shape = '[{"section": "contacts", "when": "2020-01-01"}]'  # as format 8 kept what was due
    CaseStatus.objects.filter(service_user=michelle_like).update(format=9, due=old_shape)
    assert ratings(michelle_like)["contact"] == Rating.MET
    stored = CaseStatus.objects.get(service_user=michelle_like)
    assert stored.format == case_status.FORMAT and stored.due != old_shape
    assert all(len(entry) == 4 for entry in case_status.unpack_due(stored.due))


def test_what_is_due_keeps_its_text_whole_through_storage():
    details = {"view": "contacts:arrange", "action": "Arrange", "tag": "Due", "colour": "", "query": ""}
    entries = [
        {"section": "contacts", "when": "2026-11-05", "from": "", "what": "Contact", "kwargs": {}, **details},
        {
            "section": "outcomes",
            "when": "2026-11-06",
            "from": "2026-11-06T10:00:00+00:00",
            "what": "Said:\ttab\nline",
            "kwargs": {"contact_id": 7},
            **details,
        },
    ]
    unpacked = case_status.unpack_due(case_status.pack_due(entries))
    assert [entry[:3] for entry in unpacked] == [
        ("contacts", "2026-11-05", ""),
        ("outcomes", "2026-11-06", "2026-11-06T10:00:00+00:00"),
    ]
    assert [case_status.due_details(entry[3]) for entry in unpacked] == [
        {name: entry[name] for name in case_status.DETAIL_FIELDS} for entry in entries
    ]
    assert case_status.unpack_due(case_status.pack_due([])) == []


def test_the_team_table_shows_the_same_ratings_as_the_case(north, michelle_like):  # noqa: F811
    # The team table reads the stored summary of the ratings, the case page the full ratings: they must agree,
    # first when computed on read and then when read back as stored.
    team = ServiceUser.objects.filter(pk=michelle_like.pk)
    for _ in range(2):
        ((_, results),) = selectors.team_ratings(team)
        assert {r.key: r.rating for r in results} == ratings(michelle_like)
    assert CaseStatus.objects.get(service_user=michelle_like).rating_summary.split("|")[0] == Rating.MET


def test_a_status_is_stored_under_the_cases_team_and_a_move_stores_it_again(north, south, michelle_like):  # noqa: F811
    ratings(michelle_like)
    assert CaseStatus.objects.get(service_user=michelle_like).team_id == north.team.pk
    # Moved without any record changing (records_version is the same): the status stored under the old team is no
    # longer the case's, so the new team's table works it out again and stores it under the new team.
    ServiceUser.objects.filter(pk=michelle_like.pk).update(team=south.team)
    stored = CaseStatus.objects.get(service_user=michelle_like)
    ((case, results),) = selectors.team_ratings(ServiceUser.objects.filter(team=south.team))
    assert case.pk == michelle_like.pk and {r.key: r.rating for r in results} == ratings(michelle_like)
    moved = CaseStatus.objects.get(service_user=michelle_like)
    assert moved.team_id == south.team.pk and moved.records_version == stored.records_version
    assert selectors.team_ratings(ServiceUser.objects.filter(team=north.team)) == []
