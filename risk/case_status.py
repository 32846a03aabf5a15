"""Stored case status: each case's keeping-people-safe ratings and what is due on it, kept per case
so a team's pages read one row per case instead of working hundreds of cases out on every request.

A stored status is used only if it was computed today, under the active rule set, from the case's
current records version (risk.signals raises that version whenever a record they read changes).
Anything else is recomputed in one batch when it is read, and the nightly sweep recomputes every
case so the first page of the morning does not pay for the whole team. So every read here may write:
each says so.

Depends on what the status is worked out from (risk.snapshots, risk.due, risk.rules), never on the
pages that show it (risk.selectors, risk.whats_due import this module).
"""

from dataclasses import asdict
from datetime import date

import orjson
from django.db import transaction
from django.db.models import F, FilteredRelation, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from casework.models import ServiceUser
from casework.selectors import CASE_REF_FIELDS, CaseRef, case_refs_of
from core.prepared import PreparedSet, prepared

from . import rules
from .due import due_entries
from .models import CaseStatus, CriteriaRuleSet
from .snapshots import active_rule_set, snapshots_for

# Raise when what is stored changes shape (risk.due.due_entries, the ratings' fields): every
# stored status then counts as out of date and is recomputed as it is read.
# 4: unpaid work at risk of missing its date; 5: every case has a schedule of checks; 6: reminders; 7: breach hearings;
# 8: the ratings' summary for team tables; 9: what is due as lines (pack_due); 10: its details without keys
FORMAT = 10
SEPARATOR = "|"  # between the ratings of the summary (rating values are words with underscores)


_RATINGS = {"current_status__ratings": lambda status: status.ratings}


@prepared
def _stored_ratings_of(case_id):
    # Prepared (core.prepared): every case overview reads one case's ratings.
    return with_status(ServiceUser.objects.filter(pk=case_id)).values_list(*_status_fields(_RATINGS))


def criteria_for(case_ids: list[int], today: date) -> dict[int, list[rules.CriterionResult]]:
    """Each case's criteria results, with their evidence and recommendations.
    Reads the stored statuses, and recomputes and stores any that are stale."""
    if len(case_ids) == 1:
        rows = _stored_ratings_of.rows(case_ids[0])
    else:
        rows = with_status(ServiceUser.objects.filter(pk__any_of=list(case_ids))).values_list(*_status_fields(_RATINGS))
    stored = _recomputing_stale(rows, today, _RATINGS, named=False)
    return {case.pk: [_result(row) for row in ratings] for case, (ratings,) in stored}


def ratings_for(cases: QuerySet[ServiceUser], today: date) -> list[tuple[CaseRef, tuple[rules.CriterionResult, ...]]]:
    """Each case, in the queryset's order, with its rating against each criterion and nothing more:
    what a team's table shows, read from the stored summary of the ratings rather than their JSON.
    Reads the stored statuses, and recomputes and stores any that are stale."""
    fields = {"current_status__rating_summary": lambda status: status.rating_summary}
    # Results without evidence are immutable and few (criteria x ratings), and most of a team's cases share
    # their summary with others: each different summary is split once, its tuple of results shared.
    shared, by_summary = {}, {}

    def results_of(summary: str) -> tuple[rules.CriterionResult, ...]:
        results = tuple(
            shared.get((key, rating)) or shared.setdefault((key, rating), rules.CriterionResult(key, rating))
            for key, rating in zip(rules.CRITERIA, summary.split(SEPARATOR), strict=True)
        )
        by_summary[summary] = results
        return results

    return [
        (case, by_summary.get(summary) or results_of(summary))
        for case, (summary,) in _read_recomputing_stale(cases, today, fields)
    ]


def due_for(cases: QuerySet[ServiceUser], today: date) -> list[tuple[CaseRef, list[tuple[str, str, str, str]]]]:
    """Each case with what is due on it today (see risk.due.due_entries), each entry as
    (section, when, from, its details as stored) (pack_due; due_details reads them). Reads the stored statuses,
    and recomputes and stores any that are stale."""
    read = {"current_status__due": lambda status: status.due}
    return [(case, unpack_due(due)) for case, (due,) in _read_recomputing_stale(cases, today, read)]


# What a page needs of an entry only when it shows it, stored as a JSON array (no keys: a manager's page reads
# the stored entries of 400 cases, and their bytes were a third of its time in the database).
DETAIL_FIELDS = ("what", "view", "action", "tag", "colour", "kwargs", "query")


def pack_due(entries: list[dict]) -> str:
    """What is due on a case, stored as text: a line per entry with its section, date and start (what a manager's
    page files and sorts some 1,200 entries by), then its DETAIL_FIELDS as JSON, parsed only for the rows a page
    shows. Parsing every entry of a manager's 400 cases cost 2.5 ms a page. JSON escapes tabs and newlines."""
    return "\n".join(
        f"{e['section']}\t{e['when']}\t{e['from']}\t{orjson.dumps([e[name] for name in DETAIL_FIELDS]).decode()}"
        for e in entries
    )


def unpack_due(text: str) -> list[tuple[str, str, str, str]]:
    """(section, when, from, details as JSON) for each entry pack_due stored. Split in C (str.split): a manager's
    page unpacks a thousand entries, and a regular expression over the same text took 0.36 to 0.69 ms to its 0.30.
    Each line has exactly four fields: JSON escapes any tab or newline in the details."""
    return [tuple(line.split("\t", 3)) for line in text.split("\n")] if text else []


def due_details(details: str) -> dict:
    """An entry's DETAIL_FIELDS from what pack_due stored."""
    return dict(zip(DETAIL_FIELDS, orjson.loads(details), strict=True))


def refresh(case_ids: list[int], today: date) -> int:
    """Nightly: bring these cases' stored status up to date (one batch, one short transaction): recomputes
    and stores any that are stale, and leaves current ones alone."""
    cases = ServiceUser.objects.filter(pk__any_of=list(case_ids))
    return len(_read_recomputing_stale(cases, today, {}, named=False))


# The active rule set's version, read with the statuses (the same on every row): a current status needs no more
# of the rule set, so the thresholds are read only when a status is recomputed. One expression object, so a
# prepared read's columns stay the same key.
_ACTIVE_VERSION = Coalesce(
    Subquery(CriteriaRuleSet.objects.filter(active=True).order_by("-version").values("version")[:1]), 0
)


def _status_fields(fields: dict) -> tuple:
    """What _recomputing_stale reads of each case: the case, its records version and team (a status is stored under
    both), its stored status's stamps, the active rule set's version and the stored `fields`."""
    stamps = (
        "current_status__computed_on",
        "current_status__rule_set_version",
        "current_status__records_version",
        "current_status__format",
    )
    return (*CASE_REF_FIELDS, "records_version", "team", *stamps, _ACTIVE_VERSION, *fields)


def with_status(cases: QuerySet[ServiceUser], *, teams: list[int] | None = None) -> QuerySet[ServiceUser]:
    """The cases with their stored status as `current_status` (a LEFT JOIN): only a status stored under the case's
    present team, so the team's statuses are one range of the status's team index. `teams` (the cases' teams, when
    they are some teams' cases) says so to the database: it carries a single team over to the statuses by itself,
    a list it does not."""
    condition = Q(status__team=F("team"))
    if teams is not None:
        condition &= Q(status__team__in=teams)
    return cases.annotate(current_status=FilteredRelation("status", condition=condition))


def _joined(cases: QuerySet[ServiceUser]) -> QuerySet[ServiceUser]:
    # A builder may have joined the statuses itself (with_status(..., teams=)).
    return cases if "current_status" in cases.query._filtered_relations else with_status(cases)


def _read_recomputing_stale(
    cases: QuerySet[ServiceUser] | PreparedSet, today: date, fields: dict, *, named: bool = True
) -> list[tuple[CaseRef, tuple]]:
    """Each case (as a CaseRef, in the queryset's order; or a PreparedSet of cases, for the pages that read a
    manager's hundreds) with stored fields of its status
    ({lookup: how to read it off a freshly computed status}), recomputing (and storing) the
    statuses that are out of date. Two queries when nothing is (one without the officers' names: `named`)."""
    columns = _status_fields(fields)
    if isinstance(cases, PreparedSet):
        rows = cases.values_rows(*columns, shape=_joined)
    else:
        rows = _joined(cases).values_list(*columns)
    return _recomputing_stale(rows, today, fields, named=named)


def _recomputing_stale(rows, today: date, fields: dict, *, named: bool = True) -> list[tuple[CaseRef, tuple]]:
    """_read_recomputing_stale on rows of _status_fields(fields) already read. Unless `named`, the CaseRefs
    have no officer's name (no query for them).

    Each case's records version is read with its stored status, before any facts are read, and a
    recomputed status is stored under that version: a change committed meanwhile leaves the new
    status marked out of date rather than wrong."""
    rows = list(rows)
    found = case_refs_of(rows) if named else [CaseRef(*row[:4], None) for row in rows]
    values, stale = {}, {}
    width = len(CASE_REF_FIELDS)
    for case, row in zip(found, rows, strict=True):
        records_version, team, computed_on, rule_set_version, stored_version, stored_format, active, *stored = row[
            width:
        ]
        if (computed_on, rule_set_version, stored_version, stored_format) == (today, active, records_version, FORMAT):
            values[case.pk] = tuple(stored)
        else:
            stale[case.pk] = (records_version, team)
    if stale:
        # Read now, not with the rows: a rule set made active meanwhile is the one the statuses are stored under.
        version, thresholds = active_rule_set()
        for status in _recompute_and_store(stale, today, version, thresholds):
            values[status.service_user_id] = tuple(read(status) for read in fields.values())
    return [(case, values[case.pk]) for case in found if case.pk in values]


def _recompute_and_store(
    versions: dict[int, tuple[int, int | None]], today: date, rule_set_version: int, thresholds: rules.Thresholds
) -> list[CaseStatus]:
    """Work out these cases' statuses ({case id: (records version, team) read}) and store them in one upsert."""
    snapshots = snapshots_for(list(versions), today)
    due = due_entries(list(versions), today, thresholds)
    statuses = []
    for pk in sorted(versions):  # one lock order, so concurrent upserts cannot deadlock
        if pk not in snapshots:
            continue
        ratings = [asdict(result) for result in rules.evaluate(snapshots[pk], today, thresholds)]
        statuses.append(
            CaseStatus(
                service_user_id=pk,
                computed_on=today,
                rule_set_version=rule_set_version,
                records_version=versions[pk][0],
                team_id=versions[pk][1],
                format=FORMAT,
                ratings=ratings,
                rating_summary=SEPARATOR.join(row["rating"] for row in ratings),
                due=pack_due(due[pk]),
            )
        )
    with transaction.atomic():
        CaseStatus.objects.bulk_create(
            statuses,
            update_conflicts=True,
            unique_fields=["service_user"],
            update_fields=[
                "computed_on",
                "rule_set_version",
                "records_version",
                "format",
                "ratings",
                "rating_summary",
                "due",
                "team",
            ],
        )
    return statuses


def _result(row: dict) -> rules.CriterionResult:
    return rules.CriterionResult(
        key=row["key"],
        rating=row["rating"],
        evidence=tuple(row["evidence"]),
        recommendation=row["recommendation"],
        links=tuple(row["links"]),
    )
