"""What a page costs in process: wall time and SQL time of each request through Django's test client.

No network, no gunicorn: what is left is the Python work of one request (middleware, view, template) and the
time spent waiting on the database, measured separately with a connection.execute_wrapper. The bench reports
it beside wrk's figures; the guard test in tests/benchmarks compares pages with each other in the same way.
"""

import math
import statistics
import time
from urllib.parse import urlencode

from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection


class SqlTimer:
    """connection.execute_wrapper: adds up the time each query spends in the database driver."""

    def __init__(self):
        self.seconds, self.queries = 0.0, 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def percentile(values, percent):
    """Nearest rank: the smallest value with at least `percent` % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def measure(client, url, *, data=None, requests=20, warmup=3):
    """Median and 95th percentile of `requests` GETs of `url` (POSTs of `data`, or of what `data()` returns each
    time), after `warmup` requests that fill caches and store statuses as the first view of the day would.
    Milliseconds."""

    def send():
        if data is None:
            return check(client.get(url))
        # Encoded as a browser sends a form without files (the test client's default is multipart).
        body = urlencode(data() if callable(data) else data)
        return check(client.post(url, body, content_type="application/x-www-form-urlencoded"))

    def check(response):
        expected = 302 if data is not None else 200  # a POST that saved redirects; 200 is the form with errors
        assert response.status_code == expected, (url, response.status_code)
        return response

    def as_a_browser():
        # A browser follows the redirect, and the page it lands on shows the saved message and clears it; the
        # test client does neither, so its message cookie would grow with every POST (and be read and rewritten
        # by each one). Outside the timing.
        client.cookies.pop(CookieStorage.cookie_name, None)

    for _ in range(warmup):
        send()
        as_a_browser()
    walls, sqls, queries = [], [], []
    for _ in range(requests):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            send()
            walls.append((time.perf_counter() - started) * 1000)
        as_a_browser()
        sqls.append(timer.seconds * 1000)
        queries.append(timer.queries)
    return {
        "requests": requests,
        "median_ms": round(statistics.median(walls), 2),
        "p95_ms": round(percentile(walls, 95), 2),
        "sql_median_ms": round(statistics.median(sqls), 2),
        "sql_p95_ms": round(percentile(sqls, 95), 2),
        "queries": max(set(queries), key=queries.count),  # the usual count (the steady state)
    }
