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


class Page:
    """One page to measure: GETs of `url`, or POSTs of `data` (or of what `data()` returns each time)."""

    def __init__(self, client, url, data=None):
        self.client, self.url, self.data = client, url, data
        self.walls, self.sqls, self.queries = [], [], []

    def send(self):
        if self.data is None:
            return self.check(self.client.get(self.url))
        # Encoded as a browser sends a form without files (the test client's default is multipart).
        body = urlencode(self.data() if callable(self.data) else self.data)
        return self.check(self.client.post(self.url, body, content_type="application/x-www-form-urlencoded"))

    def check(self, response):
        expected = 302 if self.data is not None else 200  # a POST that saved redirects; 200 is the form with errors
        assert response.status_code == expected, (self.url, response.status_code)
        return response

    def as_a_browser(self):
        # A browser follows the redirect, and the page it lands on shows the saved message and clears it; the
        # test client does neither, so its message cookie would grow with every POST (and be read and rewritten
        # by each one). Outside the timing.
        self.client.cookies.pop(CookieStorage.cookie_name, None)

    def sample(self):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            self.send()
            self.walls.append((time.perf_counter() - started) * 1000)
        self.as_a_browser()
        self.sqls.append(timer.seconds * 1000)
        self.queries.append(timer.queries)

    def result(self) -> dict:
        return {
            "requests": len(self.walls),
            "median_ms": round(statistics.median(self.walls), 2),
            "p95_ms": round(percentile(self.walls, 95), 2),
            "sql_median_ms": round(statistics.median(self.sqls), 2),
            "sql_p95_ms": round(percentile(self.sqls, 95), 2),
            "queries": max(set(self.queries), key=self.queries.count),  # the usual count (the steady state)
        }


def measure_together(pages: dict, *, requests=20, warmup=3) -> dict:
    """{name: Page} -> {name: figures}: median and 95th percentile of `requests` requests of each page, after
    `warmup` of each that fill caches and store statuses as the first view of the day would. Milliseconds.

    The pages take turns, a request each: the VM this runs on has phases minutes long in which every round trip
    and every page is slower by a third or more, and pages measured one after the other got different shares
    of them. Taking turns gives each page the same share, spread over the whole measurement."""
    for page in pages.values():
        for _ in range(warmup):
            page.send()
            page.as_a_browser()
    for _ in range(requests):
        for page in pages.values():
            page.sample()
    return {name: page.result() for name, page in pages.items()}
