"""The hot pages' in-process cost has not regressed: each page's median time is compared with the median time of
a trivial signed-in page measured in the same test, so the bound holds on a slow or busy machine alike.

The trivial page is the cookies page: the signed-in layout (header, navigation, context processors) around
static text. /health/ (no template, about a millisecond) was tried first, but at that size scheduling noise on a
busy machine moved the ratios fourfold; a page that does the same kind of work as the hot pages moves with them.

benchmarks/run.py measures the same way (benchmarks.inprocess) on a national-scale database; this guard only
catches a page becoming many times dearer (an N+1 query, a template doing per row what it should do once).
"""

import pytest
from django.template.base import Template
from django.test import Client
from django.test.utils import _TestState

from benchmarks.inprocess import Page, measure_together
from contacts.constants import Outcome
from tests import factories

# Worst ratio observed (median of 15, on a machine shared with other test runs): 14.8 on SQLite, 6.4 on
# PostgreSQL (team caseload). K is about three times that: a noisy machine never fails it, a page that got several
# times dearer does.
K = 50
REQUESTS = 15


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def templates_as_in_production(monkeypatch):
    """The test environment wraps every template render to record its context for the test client: a copy of
    the context for each included template, which would be measured as the page's cost. Render as production does."""
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


@pytest.fixture
def busy_team(north, north_case):
    """A team of 30 cases, the full case with 40 contacts: enough rows for per-row costs to show."""
    for _ in range(29):
        case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
        factories.RequirementFactory(order__service_user=case)
        factories.ContactPlanFactory(service_user=case)
        factories.ContactFactory(service_user=case, officer=north.officer, outcome=Outcome.ATTC)
    for _ in range(40):
        factories.ContactFactory(service_user=north_case.case, officer=north.officer, outcome=Outcome.ATTC)
    return north


def test_hot_pages_cost_at_most_k_times_the_trivial_page(busy_team, north_case, templates_as_in_production):
    officer, manager = signed_in(busy_team.officer), signed_in(busy_team.manager)
    crn = north_case.case.crn
    hot_pages = {
        "caseload": (officer, "/cases/"),
        "case overview": (officer, f"/cases/{crn}/"),
        "contact log": (officer, f"/cases/{crn}/contacts/"),
        "team caseload": (manager, "/cases/?scope=team"),
        "team keeping-people-safe view": (manager, "/keeping-people-safe/"),
        "what's due (manager)": (manager, "/due/"),
    }
    # Taking turns, a request each, so a slow spell of the machine falls on every page alike.
    pages = {"cookies": Page(officer, "/cookies/")} | {
        name: Page(client, url) for name, (client, url) in hot_pages.items()
    }
    medians = {name: cost["median_ms"] for name, cost in measure_together(pages, requests=REQUESTS, warmup=2).items()}
    trivial = medians.pop("cookies")
    ratios = {name: median / trivial for name, median in medians.items()}
    dearer = {name: round(ratio, 1) for name, ratio in ratios.items() if ratio > K}
    assert not dearer, f"pages over {K} times the cookies page ({trivial} ms): {dearer}"
