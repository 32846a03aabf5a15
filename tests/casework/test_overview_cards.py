"""The overview's cards of the case's records are kept as drawn, and never shown out of date: any change to a record
they show, a new day, or another case gives freshly drawn cards."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.plans import statement_of
from tests import factories

CARD_TABLES = (
    "casework_order",
    "casework_requirement",
    "casework_offence",
    "casework_restrainingorder",
    "casework_protectedperson",
    "casework_keyindividual",
    "casework_agencyinvolvement",
)


def overview(client, case):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/cases/{case.crn}/").content.decode()
    return html, [statement_of(q["sql"], connection) for q in queries]  # PostgreSQL's EXECUTEs as their SQL


def card_reads(sql: list[str]) -> list[str]:
    """The reads of whole records the cards draw (the status's reads of the same tables are of a few columns)."""
    return [s for s in sql if any(s.startswith(f'SELECT "{t}"."id", "{t}"."created_at"') for t in CARD_TABLES)]


def cards_of(html: str) -> str:
    return html[html.index("app-summary-card-grid") : html.index("</main>")]


@pytest.fixture
def officer_client(client_for, north_case):
    return client_for(north_case.case.responsible_officer)


def test_a_second_view_draws_the_cards_without_reading_the_records_again(officer_client, north_case):
    overview(officer_client, north_case.case)  # the case's status worked out and stored
    caches["template_fragments"].clear()
    first, first_sql = overview(officer_client, north_case.case)
    again, again_sql = overview(officer_client, north_case.case)
    assert len(card_reads(first_sql)) == 7
    assert card_reads(again_sql) == []
    assert len(again_sql) == len(first_sql) - 7
    assert cards_of(again) == cards_of(first)
    assert north_case.key_individual.full_name in again and north_case.offence.description in again


@pytest.mark.parametrize(
    "change, shown",
    [
        (lambda c: _save(c.offence, description="Criminal damage"), "Criminal damage"),
        (lambda c: _save(c.requirement, unpaid_work_hours=120), "Unpaid work: 120 hours"),
        (lambda c: _save(c.restraining_order, court="Eastshire Crown Court"), "Eastshire Crown Court"),
        (lambda c: _save(c.protected_person, full_name="Dana Okafor"), "Dana Okafor"),
        (lambda c: _save(c.key_individual, full_name="Sam Reyes"), "Sam Reyes"),
        (lambda c: _save(c.agency, organisation="Westshire Children's Services"), "Westshire Children&#x27;s Services"),
        (lambda c: factories.KeyIndividualFactory(service_user=c.case, full_name="Alex Moore"), "Alex Moore"),
        (lambda c: factories.OffenceFactory(order=c.order, description="Harassment"), "Harassment"),
    ],
)
def test_a_changed_record_shows_at_once(officer_client, north_case, change, shown):
    before, _ = overview(officer_client, north_case.case)
    assert shown not in before
    change(north_case)
    after, sql = overview(officer_client, north_case.case)
    assert shown in after
    assert len(card_reads(sql)) == 7  # drawn afresh for the new records version


def test_a_record_removed_is_gone_at_once(officer_client, north_case):
    name = north_case.key_individual.full_name
    assert name in overview(officer_client, north_case.case)[0]
    north_case.key_individual.delete()
    assert name not in overview(officer_client, north_case.case)[0]


def test_a_restraining_order_ending_today_shows_as_expired_after_midnight(officer_client, north_case):
    late = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 30)))
    with time_machine.travel(late, tick=False):
        _save(north_case.restraining_order, expires_on=timezone.localdate())
        officer_client.force_login(north_case.case.responsible_officer)  # signed in at this hour
        today, _ = overview(officer_client, north_case.case)
    assert "In force" in today and "Expired" not in today
    with time_machine.travel(late + timedelta(hours=1), tick=False):  # nothing recorded since: only the day moved
        officer_client.force_login(north_case.case.responsible_officer)
        tomorrow, _ = overview(officer_client, north_case.case)
    assert "Expired" in tomorrow and "In force" not in tomorrow


def test_each_case_shows_its_own_cards(client_for, north, north_case):
    other = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, crn="N000002")
    factories.KeyIndividualFactory(service_user=other, full_name="Jordan Blake")
    client = client_for(north.officer)
    assert north_case.key_individual.full_name in overview(client, north_case.case)[0]
    html, _ = overview(client, other)
    assert "Jordan Blake" in html and north_case.key_individual.full_name not in html


def _save(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record
