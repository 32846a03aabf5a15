"""Prepared queries (core.prepared): compiled once, they give what the queryset itself gives for any values."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import ServiceUser
from contacts.models import Contact
from core.prepared import (
    NotPreparable,
    PreparedList,
    PreparedSet,
    counting,
    listing,
    prepared,
    read_together,
    reading,
)
from risk.models import TierFactors
from tests import factories


@prepared
def cases_of_team(team_id):
    return ServiceUser.objects.filter(team=team_id).values_list("crn")


@prepared
def cases_of_teams(team_ids):
    return ServiceUser.objects.filter(team__in=team_ids).values_list("crn")


@prepared
def case_by_crn(crn):
    return ServiceUser.objects.filter(crn=crn)


@pytest.fixture
def two_teams(db):
    north, south = factories.TeamFactory(), factories.TeamFactory()
    for crn, team in (("N000001", north), ("N000002", north), ("S000001", south)):
        factories.ServiceUserFactory(crn=crn, team=team)
    return north, south


def test_later_calls_reuse_the_sql_with_their_own_values(two_teams):
    north, south = two_teams
    assert sorted(cases_of_team.rows(north.pk)) == [("N000001",), ("N000002",)]
    assert cases_of_team.rows(south.pk) == [("S000001",)]
    assert len(cases_of_team._compiled) == 1  # one compile for both teams


def test_a_list_is_compiled_once_per_length_and_an_empty_one_reads_nothing(two_teams):
    north, south = two_teams
    assert sorted(cases_of_teams.rows([north.pk, south.pk])) == [("N000001",), ("N000002",), ("S000001",)]
    assert cases_of_teams.rows([south.pk]) == [("S000001",)]
    with CaptureQueriesContext(connection) as queries:
        assert cases_of_teams.rows([]) == []
        assert cases_of_teams.count([]) == 0
    assert len(queries) == 0


def test_a_count_matches_the_querysets_and_instances_are_whole_models(two_teams):
    north, _ = two_teams
    assert cases_of_team.count(north.pk) == ServiceUser.objects.filter(team=north).count() == 2
    (case,) = case_by_crn.instances("S000001")
    assert case == ServiceUser.objects.get(crn="S000001")
    assert case.date_of_birth == ServiceUser.objects.get(crn="S000001").date_of_birth  # converted, not raw text
    assert case_by_crn.instances("X999999") == []


def test_counts_together_are_one_statement_with_each_count_as_it_would_be_alone(two_teams):
    north, south = two_teams
    with CaptureQueriesContext(connection) as queries:
        counts = read_together(
            {
                "north": counting(cases_of_team, north.pk),
                "both": counting(cases_of_teams, [north.pk, south.pk]),
                "nobody": counting(cases_of_teams, []),  # nothing can match: no subquery at all
                "given": 7,
                "south": counting(case_by_crn, "S000001"),
            }
        )
    assert counts == {"north": 2, "both": 3, "nobody": 0, "given": 7, "south": 1}
    assert list(counts) == ["north", "both", "nobody", "given", "south"]  # in the order asked
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert read_together({"given": 0, "nobody": counting(cases_of_teams, [])}) == {"given": 0, "nobody": 0}
    assert len(queries) == 0


@prepared
def latest_created_in(team_id):
    return (
        ServiceUser.objects.filter(team=team_id).values("team").annotate(latest=Max("created_at")).values_list("latest")
    )


def test_values_read_together_are_converted_as_alone_and_none_when_there_is_no_row(two_teams):
    north, south = two_teams
    latest = ServiceUser.objects.filter(team=north).order_by("-created_at").first().created_at
    with CaptureQueriesContext(connection) as queries:
        found = read_together(
            {
                "latest": reading(latest_created_in, north.pk),
                "none": reading(latest_created_in, south.pk + north.pk + 1000),  # no such team: no row
                "south": counting(cases_of_team, south.pk),
            }
        )
    assert len(queries) == 1
    assert found == {"latest": latest, "none": None, "south": 1}
    assert isinstance(found["latest"], datetime)  # a datetime on SQLite too, not the text it stores
    assert latest_created_in.read(north.pk) == latest


def test_instances_bring_their_select_related_objects_and_annotations(two_teams):
    north, _ = two_teams

    @prepared
    def with_team(crn):
        return ServiceUser.objects.filter(crn=crn).select_related("team").annotate(n=Value(7))

    (case,) = with_team.instances("N000001")
    with CaptureQueriesContext(connection) as queries:
        assert (case.team.name, case.n) == (north.name, 7)
    assert len(queries) == 0


def test_dates_and_times_are_compared_as_the_queryset_compares_them(two_teams):
    @prepared
    def born_before(day):
        return ServiceUser.objects.filter(date_of_birth__lt=day).values_list("crn")

    @prepared
    def created_since(moment):
        return ServiceUser.objects.filter(created_at__gte=moment).values_list("crn")

    youngest = ServiceUser.objects.order_by("-date_of_birth").first()
    assert (
        born_before.count(youngest.date_of_birth)
        == ServiceUser.objects.filter(date_of_birth__lt=youngest.date_of_birth).count()
    )
    assert born_before.count(youngest.date_of_birth + timedelta(days=1)) == 3
    first = ServiceUser.objects.order_by("created_at").first().created_at
    assert created_since.count(first) == 3
    assert created_since.count(timezone.now() + timedelta(minutes=1)) == 0


def test_a_builder_that_changes_its_values_is_refused_rather_than_run_wrong(db):
    @prepared
    def by_crn_any_case(crn):
        return ServiceUser.objects.filter(crn=crn.upper())

    @prepared
    def by_name_part(name):
        return ServiceUser.objects.filter(last_name__icontains=name)

    with pytest.raises(NotPreparable):
        by_crn_any_case.rows("n000001")
    with pytest.raises(NotPreparable):
        by_name_part.rows("smith")
    with pytest.raises(NotPreparable):
        cases_of_team.rows(True)


def test_a_prepared_list_pages_as_the_queryset_does_and_none_leaves_a_filter_out(two_teams):
    north, _ = two_teams

    @prepared
    def cases(team_id):
        everyone = ServiceUser.objects.order_by("crn")
        return everyone if team_id is None else everyone.filter(team=team_id)

    every_page = [
        [case.crn for case in page.object_list]
        for paginator in [Paginator(PreparedList(cases, None), 2)]
        for page in map(paginator.page, paginator.page_range)
    ]
    assert every_page == [["N000001", "N000002"], ["S000001"]]
    north_only = Paginator(PreparedList(cases, north.pk), 2)
    assert north_only.count == 2 and [c.crn for c in north_only.page(1).object_list] == ["N000001", "N000002"]


def team_cases(team_id):
    return ServiceUser.objects.filter(team=team_id).order_by("crn")


def test_a_prepared_set_reads_the_columns_each_reader_asks_for(two_teams):
    north, south = two_teams
    cases = PreparedSet(team_cases, north.pk)
    assert cases.values_rows("crn") == [("N000001",), ("N000002",)]
    assert cases.values_rows("crn", "team_id") == [("N000001", north.pk), ("N000002", north.pk)]
    assert PreparedSet(team_cases, south.pk).values_rows("crn") == [("S000001",)]  # the same SQL, its own value
    assert len([key for key in PreparedSet._by_columns if key[0] is team_cases]) == 2  # one per set of columns


@prepared
def contacts_of(case_id):
    return Contact.objects.filter(service_user=case_id).order_by("starts_at", "pk")


@prepared
def contact_rows_of(case_id):
    columns = ("pk", "starts_at", "ends_at", "series", "national_standard", "penalty_minutes", "notes")
    return Contact.objects.filter(service_user=case_id).order_by("-starts_at", "pk").values_list(*columns)


@prepared
def scores_of(case_id):
    return TierFactors.objects.filter(service_user=case_id).order_by("pk").values_list("rsr_score", "created_at")


@prepared
def factors_of(case_id):
    return TierFactors.objects.filter(service_user=case_id).order_by("pk")


def fields(instance) -> tuple:
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def test_rows_and_instances_read_together_are_as_read_alone_in_one_statement(two_teams):
    case = ServiceUser.objects.get(crn="N000001")
    now = timezone.now().replace(microsecond=120000)
    factories.ContactFactory(service_user=case, starts_at=now - timedelta(days=2), ends_at=None, notes='"Quoted" \\')
    factories.ContactFactory(
        service_user=case, starts_at=now - timedelta(days=1), series=uuid.uuid4(), national_standard=False
    )
    factories.ContactFactory(service_user=case, starts_at=now, penalty_minutes=15, notes="Late — 15 minutes")
    TierFactors.objects.create(service_user=case, rsr_score=Decimal("12.50"), needs={"accommodation": "severe"})
    TierFactors.objects.create(service_user=case, rsr_score=None)
    with CaptureQueriesContext(connection) as queries:
        found = read_together(
            {
                "contacts": listing(contacts_of, case.pk, instances=True),
                "rows": listing(contact_rows_of, case.pk),
                "scores": listing(scores_of, case.pk),
                "factors": listing(factors_of, case.pk, instances=True),  # has JSON columns: read alone
                "none": listing(contact_rows_of, case.pk + 1000),
                "count": counting(cases_of_team, case.team_id),
            }
        )
    assert [fields(contact) for contact in found["contacts"]] == [fields(c) for c in contacts_of.instances(case.pk)]
    assert [contact.starts_at for contact in found["contacts"]] == [
        now - timedelta(days=2),
        now - timedelta(days=1),
        now,
    ]
    assert found["rows"] == contact_rows_of.rows(case.pk)
    assert found["rows"][0][1:] == (now, now + timedelta(hours=1), None, True, 15, "Late — 15 minutes")
    assert isinstance(found["rows"][1][3], uuid.UUID)
    assert found["scores"] == scores_of.rows(case.pk)
    assert found["scores"][0][0] == Decimal("12.50") and str(found["scores"][0][0]) == "12.50"  # never a float
    assert [fields(f) for f in found["factors"]] == [fields(f) for f in factors_of.instances(case.pk)]
    assert found["factors"][0].needs == {"accommodation": "severe"}
    assert found["none"] == [] and found["count"] == 2
    # On PostgreSQL one statement and the read with JSON columns alone; elsewhere each list alone, the count apart.
    assert len(queries) == (2 if connection.vendor == "postgresql" else 6)
