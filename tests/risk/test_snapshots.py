"""Snapshots for the criteria engine built from the database: the facts of the worked example, and the same
queries for one case or many."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from risk import rules
from risk.models import CriteriaRuleSet
from risk.snapshots import active_rule_set, snapshots_for
from tests import factories
from tests.risk.test_risk_pages import michelle_like  # noqa: F401  (fixture)


def test_the_worked_example_as_a_snapshot(michelle_like):  # noqa: F811
    today = timezone.localdate()
    snapshot = snapshots_for([michelle_like.pk], today)[michelle_like.pk]
    order = michelle_like.orders.get()
    assert snapshot.crn == "D320001"
    assert (snapshot.rosh, snapshot.domestic_abuse, snapshot.child_protection) == ("low", True, False)
    assert (snapshot.restraining_order_in_force, snapshot.restraining_order_protects) == (True, 1)
    assert (snapshot.protected_people, snapshot.key_individuals_to_involve) == (1, 1)
    assert snapshot.plan_frequency_days == 7
    assert snapshot.last_contact == today - timedelta(days=3)
    assert snapshot.last_key_individual_contact == today - timedelta(days=20)
    assert snapshot.agency_types == frozenset({"police"})
    assert snapshot.enquiries == {
        "da": rules.EnquiryFacts(
            kind="da",
            last_requested=today - timedelta(days=28),
            last_received=today - timedelta(days=23),
            overdue_responses=0,
            interval_days=56,
        ),
        "safeguarding": rules.EnquiryFacts(
            kind="safeguarding",  # at court, then repeated 30 days ago: the latest counts
            last_requested=today - timedelta(days=30),
            last_received=today - timedelta(days=25),
            overdue_responses=0,
            interval_days=None,
        ),
    }
    assert not snapshot.risk_review_open
    assert (snapshot.order_start, snapshot.upw_only) == (order.start_date, True)
    assert snapshot.last_home_visit == today - timedelta(days=85)


def test_one_case_or_many_in_the_same_queries(north, michelle_like):  # noqa: F811
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as one:
        snapshots_for([michelle_like.pk], today)
    others = [factories.ServiceUserFactory(team=north.team) for _ in range(5)]
    for case in others:
        factories.ContactPlanFactory(service_user=case)
        factories.RiskAssessmentFactory(service_user=case)
    with CaptureQueriesContext(connection) as many:
        snapshots = snapshots_for([michelle_like.pk, *(case.pk for case in others)], today)
    assert len(snapshots) == 6
    assert len(many) == len(one)


def test_a_case_that_does_not_exist_is_left_out(db):
    assert snapshots_for([999999], timezone.localdate()) == {}


def test_without_an_active_rule_set_the_defaults_apply(db):
    CriteriaRuleSet.objects.update(active=False)
    assert active_rule_set() == (0, rules.Thresholds())
