"""The bench's goal marks (benchmarks/run.py) and its reading of a query plan: pure functions over the results."""

from benchmarks.run import goals, plan_summary


def page(name, user="officer", queries=5, p95=50.0, median=5.0, sql=1.0):
    load = {"p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95, "requests_per_second": 100.0, "errors": 0}
    return {
        "page": name,
        "user": user,
        "queries": queries,
        "in_process": {"median_ms": median, "p95_ms": median * 2, "sql_median_ms": sql},
        "c2": load,
        "c4": load,
    }


def scale(n, pages, one=200.0, two=100.0, plan_ok=True):
    sweep = {"seconds": one, "peak_memory_mb": 120.0}
    return {
        "scale": n,
        "pages": pages,
        "status_sweep": [{**sweep, "workers": 1}, {**sweep, "workers": 2, "seconds": two}],
        "contact_log_plan": {"ok": plan_ok, "plan": "Limit → Index Scan", "rows_read": 20, "execution_ms": 0.1},
        "gunicorn": {"max_rss_mb": 120.0},
    }


def by_goal(*scales):
    return {mark["goal"]: mark["status"] for mark in goals({"scales": list(scales)})}


def status_of(results, words):
    (status,) = [status for goal, status in results.items() if words in goal]
    return status


def test_goals_stated_for_scale_50_are_not_measured_without_it():
    results = by_goal(scale(1, [page("caseload")]), scale(10, [page("caseload")]))
    assert status_of(results, "every page p95") == "not measured"
    assert status_of(results, "≤ 5 min with one worker") == "not measured"
    assert status_of(results, "Queries per page") == "met"
    assert status_of(results, "In process") == "met"


def test_a_slow_page_at_scale_50_or_a_query_count_that_grows_is_not_met():
    results = by_goal(scale(10, [page("caseload", queries=5)]), scale(50, [page("caseload", queries=6, p95=120.0)]))
    assert status_of(results, "every page p95") == "not met"
    assert status_of(results, "Queries per page") == "not met"


def test_in_process_goal_counts_officer_and_manager_pages_not_the_admin():
    results = by_goal(
        scale(1, [page("team view", user="manager", sql=4.0), page("admin list", user="admin", median=90)])
    )
    assert status_of(results, "In process") == "not met"  # the manager page's SQL, 4 ms
    results = by_goal(scale(1, [page("team view", user="manager"), page("admin list", user="admin", median=90)]))
    assert status_of(results, "In process") == "met"


def test_two_workers_must_take_about_half_the_time_of_one():
    assert status_of(by_goal(scale(50, [page("p")], one=240.0, two=125.0)), "Two sweep workers") == "met"
    assert status_of(by_goal(scale(50, [page("p")], one=240.0, two=200.0)), "Two sweep workers") == "not met"
    assert status_of(by_goal(scale(50, [page("p")], one=400.0, two=200.0)), "≤ 5 min with one worker") == "not met"


def plan(*kinds):
    """A plan whose nodes nest in the order given; the last scans contacts_contact."""
    node = {"Node Type": kinds[-1], "Relation Name": "contacts_contact", "Actual Rows": 20}
    for kind in reversed(kinds[:-1]):
        node = {"Node Type": kind, "Plans": [node]}
    return {"Plan": node, "Execution Time": 0.5}


def test_a_limit_over_an_index_scan_in_order_is_bounded_and_a_sort_in_between_is_not():
    assert plan_summary(plan("Limit", "Index Scan"))["ok"]
    assert plan_summary(plan("Aggregate", "Index Only Scan"))["ok"]
    assert not plan_summary(plan("Limit", "Sort", "Index Scan"))["ok"]
    assert not plan_summary(plan("Limit", "Seq Scan"))["ok"]
    assert plan_summary(plan("Limit", "Nested Loop", "Index Scan"))["plan"] == (
        "Limit → Nested Loop → Index Scan on contacts_contact"
    )


def test_a_run_that_skipped_the_sweeps_does_not_claim_their_goals():
    skipped = {**scale(50, [page("contact log")]), "status_sweep": []}
    results = by_goal(skipped)
    assert status_of(results, "≤ 5 min with one worker") == "not measured"
    assert status_of(results, "Two sweep workers") == "not measured"
    assert status_of(results, "Sweep peak memory") == "not measured"
    assert status_of(results, "every page p95") == "met"
