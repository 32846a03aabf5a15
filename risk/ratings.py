"""Stored criteria ratings: the engine's answers kept per case so a team's view is one cheap read.

A stored rating is used only if it was computed today, under the active rule set, from the case's
current records version (risk.signals raises that version whenever a record the criteria read
changes). Anything else is recomputed in one batch when it is read, and the nightly sweep
recomputes every case so the first page of the morning does not pay for the whole team.
"""

from dataclasses import asdict
from datetime import date

from django.db import transaction

from casework.models import ServiceUser

from . import rules
from .models import CriteriaRating


def _results(rows: list[dict]) -> list[rules.CriterionResult]:
    return [
        rules.CriterionResult(
            key=row["key"],
            rating=row["rating"],
            evidence=tuple(row["evidence"]),
            recommendation=row["recommendation"],
            links=tuple(row["links"]),
        )
        for row in rows
    ]


def criteria_for(case_ids: list[int], today: date) -> dict[int, list[rules.CriterionResult]]:
    """Results for each case, from stored ratings where current, computed (and stored) where not.

    Each case's records version is read with its stored rating, before any facts are read, and a
    recomputed rating is stored under that version: a change committed meanwhile leaves the new
    rating marked out of date rather than wrong."""
    from .selectors import active_rule_set, snapshots_for

    version, thresholds = active_rule_set()
    results, stale = {}, {}
    for pk, records_version, computed_on, rule_set_version, rated_version, stored in ServiceUser.objects.filter(
        pk__in=list(case_ids)
    ).values_list(
        "pk",
        "records_version",
        "criteria_rating__computed_on",
        "criteria_rating__rule_set_version",
        "criteria_rating__records_version",
        "criteria_rating__results",
    ):
        if (computed_on, rule_set_version, rated_version) == (today, version, records_version):
            results[pk] = _results(stored)
        else:
            stale[pk] = records_version
    if stale:
        snapshots = snapshots_for(list(stale), today)
        fresh = {pk: rules.evaluate(snapshots[pk], today, thresholds) for pk in stale}
        _store(stale, fresh, today, version)
        results.update(fresh)
    return results


def _store(versions: dict[int, int], results: dict, today: date, rule_set_version: int) -> None:
    rows = [
        CriteriaRating(
            service_user_id=pk,
            computed_on=today,
            rule_set_version=rule_set_version,
            records_version=versions[pk],
            results=[asdict(result) for result in results[pk]],
        )
        for pk in sorted(versions)  # one lock order, so concurrent upserts cannot deadlock
    ]
    with transaction.atomic():
        CriteriaRating.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["service_user"],
            update_fields=["computed_on", "rule_set_version", "records_version", "results"],
        )


def refresh(case_ids: list[int], today: date) -> int:
    """Nightly: recompute and store ratings for these cases (one batch, one short transaction)."""
    return len(criteria_for(case_ids, today))
