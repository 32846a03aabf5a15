"""Benchmark harness: seed PostgreSQL at each scale, serve with gunicorn, load with wrk, time the sweeps.

    python benchmarks/run.py --scales 1 10 50 --duration 10

For each scale: a fresh database (BENCH_DB, default casework_bench: it is dropped and created again), seeded
with `seed_bench`; the nightly case-status sweep timed with one worker process and then two; every page
measured in process (Django's test client, production settings: median and p95 of --requests requests, SQL
time apart) and under load (wrk at 2 and 4 connections against gunicorn); the contact log's contact query
EXPLAINed; the gunicorn workers' resident memory after the load; the daily sweeps. Then the goals of issue 21,
each marked met or not met from this run's figures.

Writes benchmarks/results/scale-<N>.json and .md for each scale, and latest.json and latest.md with every
scale of the run and the goals. Needs PostgreSQL on 127.0.0.1:5432 (trust auth), Redis on :6379 and wrk
(Debian package). `make bench` runs it.
"""

import argparse
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DB = os.environ.get("BENCH_DB", "casework_bench")
PORT = int(os.environ.get("BENCH_PORT", "8799"))  # another port if two benches share a machine
BROKER = "redis://127.0.0.1:6379/15"
CSRF = "benchbenchbenchbenchbenchbench12"  # a 32-character CSRF secret used as cookie and form token
TOKEN = "{token}"  # in a POST body: a new one-time submission token for every request (benchmarks/report.lua)

# The goals of issue 21. The load goal and the one-worker sweep are stated for scale 50 (about the national
# caseload): a run without scale 50 marks them "not measured" rather than met.
GOAL_SCALE = 50
PAGE_P95_MS = 100  # every page, 4 connections
IN_PROCESS_MEDIAN_MS = 10  # officer and manager pages
IN_PROCESS_SQL_MS = 3
SWEEP_SECONDS = 5 * 60  # the nightly status sweep over every case, one worker
TWO_WORKERS_RATIO = 0.6  # "about half": two workers take at most 60% of one worker's time
SWEEP_MEMORY_MB = 300
WORKER_RSS_MB = 200
MET, NOT_MET, NOT_MEASURED = "met", "not met", "not measured"


def sh(*args, env=None, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def measured(args, env):
    """Run a command; its output, seconds and peak resident memory (MB), read from the kernel (wait4)."""
    started = time.monotonic()
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.stdout.read(), process.stderr.read()  # before waiting, so a full pipe cannot block it
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({process.returncode}):\n{err[-3000:]}")
    return out, round(time.monotonic() - started, 1), round(usage.ru_maxrss / 1024, 1)


def fresh_database(env):
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}")
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", DB)
    sh(sys.executable, "manage.py", "migrate", "-v0", env=env)
    sh(sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", env=env)  # served as in production


def django_setup(env):
    os.environ.update(env)
    import django

    django.setup()


def sessions():
    """Session cookies for an officer, their line manager and an admin, as if they had signed in."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count

    from casework.constants import Role
    from casework.models import User

    # The users: a line manager of about 400 cases and an officer of about 40 in their team.
    manager = min(
        User.objects.filter(username__startswith="bench.manager.").annotate(n=Count("managed_teams__cases")),
        key=lambda user: abs(user.n - 400),
    )
    officer = min(
        User.objects.filter(teams__in=manager.managed_teams.all(), role=Role.RESPONSIBLE_OFFICER).annotate(
            n=Count("caseload")
        ),
        key=lambda user: abs(user.n - 40),
    )
    admin, _ = User.objects.get_or_create(
        username="bench.admin", defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True}
    )
    cookies, users = {}, {"officer": officer, "manager": manager, "admin": admin}
    for name, user in users.items():
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies[name] = store.session_key
    return users, cookies


def pages(users):
    from django.utils import timezone

    from casework.constants import RequirementType
    from contacts.constants import ContactType, WithWhom

    officer = users["officer"]
    # A case shaped like the worked example (unpaid work, domestic abuse, a restraining order, police
    # enquiries), so the case pages show every card and make the same queries at every scale.
    case = (
        officer.caseload.filter(
            restraining_orders__isnull=False, orders__requirements__requirement_type=RequirementType.UNPAID_WORK
        )
        .order_by("crn")
        .first()
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    contact_body = (
        f"csrfmiddlewaretoken={CSRF}&contact_type={ContactType.CTOB}&contact_date_0={yesterday.day}"
        f"&contact_date_1={yesterday.month}&contact_date_2={yesterday.year}&start_time=12:00"
        f"&with_whom={WithWhom.SERVICE_USER}&national_standard=False&penalty_minutes=0&notes=Bench"
        # A browser sends the form's one-time token (core.views.OnceOnlyMixin), a new one each time it is loaded.
        f"&submission_token={TOKEN}"
    )
    return [
        ("baseline (session only)", "officer", "/health/", ""),
        ("caseload (my cases)", "officer", "/cases/", ""),
        ("case overview", "officer", f"/cases/{case.crn}/", ""),
        ("contact log", "officer", f"/cases/{case.crn}/contacts/", ""),
        ("contact create (POST)", "officer", f"/cases/{case.crn}/contacts/new/", contact_body),
        ("what's due (officer)", "officer", "/due/", ""),
        ("caseload (team)", "manager", "/cases/?scope=team", ""),
        ("approvals queue", "manager", "/approvals/", ""),
        ("team keeping-people-safe view", "manager", "/keeping-people-safe/", ""),
        ("what's due (manager)", "manager", "/due/", ""),
        ("admin changelist of service users", "admin", "/admin/casework/serviceuser/", ""),
    ]


def signed_in_client(user):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def in_process_page(users, url, who, body):
    """A page to measure in this process (Django's test client, production settings, the bench database)."""
    from benchmarks.inprocess import Page

    data = dict(pair.split("=", 1) for pair in body.split("&")) if body else None
    if data and TOKEN in data.values():
        fixed = data

        def data():  # a new token each time, as a browser's new page would have
            return {name: secrets.token_urlsafe(24) if value == TOKEN else value for name, value in fixed.items()}

    return Page(signed_in_client(users[who]), url, data)


def in_process(users, measured_pages, requests):
    """{page name: its cost in process}. The pages that only read take turns (benchmarks.inprocess.measure_together);
    each that writes is measured alone after them, as its writes would have the case's pages work out again what
    they keep for the case's records version."""
    from benchmarks.inprocess import measure_together

    reads = {name: in_process_page(users, url, who, body) for name, who, url, body in measured_pages if not body}
    costs = measure_together(reads, requests=requests)
    for name, who, url, body in measured_pages:
        if body:
            costs |= measure_together({name: in_process_page(users, url, who, body)}, requests=requests)
    return costs


def explain_contact_log(users, url):
    """EXPLAIN ANALYZE the contact log's page of contacts (newest first, one page) as the page sends it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import plans

    client = signed_in_client(users["officer"])
    for _ in range(6):  # as the measured requests ran it: prepared, and past the five runs before a generic plan
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # (what was sent, its SQL): an EXECUTE of a statement prepared on the server (core.plans) is explained as
    # it is, so the plan is the one the server keeps for it.
    queries = [(query["sql"], plans.statement_of(query["sql"], connection)) for query in captured]
    paged = [
        (sent, sql)
        for sent, sql in queries
        if sql.startswith("SELECT")
        and re.search(r'FROM "contacts_contact"', sql)
        and " LIMIT " in sql
        and '"contacts_contact"."starts_at" DESC' in sql
    ]
    if not paged:
        return {"query": None, "plan": "no paged contacts query found on the contact log", "ok": False}
    sent, sql = paged[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sent)
        (explained,) = cursor.fetchone()
    if isinstance(explained, str):
        explained = json.loads(explained)
    return {"query": sql, **plan_summary(explained[0])}


def plan_summary(explained):
    """The path from the plan's root to the scan of contacts_contact, and whether that scan is index-only or
    bounded (under a Limit, read in index order with no Sort of the case's contacts in between)."""

    def path_to_contacts(node, path):
        path = [*path, node]
        if node.get("Relation Name") == "contacts_contact":
            return path
        for child in node.get("Plans", []):
            found = path_to_contacts(child, path)
            if found:
                return found
        return None

    def label(node):
        name = node["Node Type"]
        if "Index Name" in node:
            name += f" using {node['Index Name']}"
        if "Relation Name" in node:
            name += f" on {node['Relation Name']}"
        return name

    path = path_to_contacts(explained["Plan"], []) or [explained["Plan"]]
    scan = path[-1]
    kinds = [node["Node Type"] for node in path]
    index_only = scan["Node Type"] == "Index Only Scan"
    bounded = kinds[0] == "Limit" and "Sort" not in kinds and scan["Node Type"] in ("Index Scan", "Index Only Scan")
    return {
        "plan": " → ".join(label(node) for node in path),
        "node": label(scan),
        "rows_read": scan.get("Actual Rows"),
        "buffers": scan.get("Shared Hit Blocks", 0) + scan.get("Shared Read Blocks", 0),
        "execution_ms": round(explained.get("Execution Time", 0), 2),
        "index_only": index_only,
        "bounded": bounded,
        "ok": index_only or bounded,
    }


def load(url, cookie, body, connections, duration):
    env = {**os.environ, "BENCH_BODY": body}
    result = sh(
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-s",
        "benchmarks/report.lua",
        "-H",
        f"Cookie: sessionid={cookie}; csrftoken={CSRF}",
        "-H",
        f"Referer: http://127.0.0.1:{PORT}/",
        f"http://127.0.0.1:{PORT}{url}",
        env=env,
    )
    line = next(text for text in result.stdout.splitlines() if text.startswith("BENCH "))
    data = json.loads(line[6:])
    data["requests_per_second"] = round(data["requests"] / data["seconds"], 1)
    return data


def gunicorn_workers_memory(master):
    """Resident size now (VmRSS) and at its peak (VmHWM) of each gunicorn worker, in MB."""
    workers = []
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        status = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
        )
        workers.append(
            {
                "pid": int(pid),
                "rss_mb": round(int(status["VmRSS"].split()[0]) / 1024, 1),
                "peak_rss_mb": round(int(status["VmHWM"].split()[0]) / 1024, 1),
            }
        )
    return {"workers": workers, "max_rss_mb": max((worker["rss_mb"] for worker in workers), default=None)}


def wait_until_serving(server, timeout=120):
    """Until gunicorn answers /health/ (its workers import Django first: seconds on a busy machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}): is port {PORT} free? (BENCH_PORT)")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer on port {PORT} within {timeout} s")


def sweep_processes(env, mode, day, workers=1):
    """Start `workers` sweep processes (benchmarks/sweep.py) at once and collect what each reports."""
    script = str(ROOT / "benchmarks" / "sweep.py")
    processes = [
        subprocess.Popen(
            [sys.executable, script, mode, "--worker", str(n), "--workers", str(workers), "--day", day.isoformat()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(workers)
    ]
    reports = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode:
            raise RuntimeError(f"sweep {mode} failed ({process.returncode}):\n{err[-3000:]}")
        line = next(text for text in out.splitlines() if text.startswith("SWEEP "))
        reports.append(json.loads(line[6:]))
    return reports


def time_status_sweep(env, workers):
    """The nightly case-status sweep over every case with `workers` processes sharing its batches, each case's
    status computed and stored from nothing (the stored statuses are emptied first, so every run does the
    same work). Seconds from the first worker starting its work to the last finishing."""
    from django.db import connection
    from django.utils import timezone

    from risk.models import CaseStatus

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {CaseStatus._meta.db_table}")
    reports = sweep_processes(env, "status", timezone.localdate(), workers)
    seconds = max(report["finished"] for report in reports) - min(report["started"] for report in reports)
    batches = sum(report["batches"] for report in reports)
    return {
        "workers": workers,
        "seconds": round(seconds, 1),
        "batches": batches,
        "batch_size": reports[0]["batch_size"],
        "average_batch_seconds": round(seconds * workers / max(batches, 1), 2),
        "peak_memory_mb": max(report["peak_memory_mb"] for report in reports),
    }


def time_daily_sweeps(env):
    """The daily contact-reminder and enquiry sweeps (tasks eager) in a process of their own."""
    from django.utils import timezone

    (report,) = sweep_processes(env, "daily", timezone.localdate())
    return report


def run_scale(scale, duration, base_env, *, requests, reuse=False, only=(), skip_sweeps=False):
    from casework.models import ServiceUser

    env = {**base_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}"}
    report = {"scale": scale, "seed": "Reused the seeded database", "seed_seconds": 0, "seed_peak_memory_mb": None}
    if not reuse:
        fresh_database(env)
        out, seconds, peak = measured([sys.executable, "manage.py", "seed_bench", "--scale", str(scale)], env)
        report.update(seed=out.strip(), seed_seconds=seconds, seed_peak_memory_mb=peak)
        # As autovacuum would have by morning: statistics, and a visibility map for index-only scans.
        sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-qc", "VACUUM (ANALYZE)")
    # One worker, then two. The second run leaves every case's status stored for today, as in production the
    # nightly sweep has before the day starts.
    report["status_sweep"] = [] if skip_sweeps else [time_status_sweep(env, workers) for workers in (1, 2)]
    print(f"  scale {scale}: status sweep {report['status_sweep']}", flush=True)
    # The day starts after the night's work has settled: the sweep's rewritten statuses vacuumed and analysed and
    # its writes checkpointed, as by morning. Pages measured in the seconds after a sweep paid for autovacuum and
    # the checkpointer running beside them.
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-qc", "VACUUM (ANALYZE) risk_casestatus")
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-qc", "CHECKPOINT")
    report["pages"] = []
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_serving(server)
        users, cookies = sessions()
        report["users"] = {
            "officer": f"{users['officer'].username} ({users['officer'].caseload.count()} cases)",
            "manager": f"{users['manager'].username} "
            f"({ServiceUser.objects.filter(team__managers=users['manager']).count()} cases)",
        }
        measured_pages = [page for page in pages(users) if not only or any(part in page[0] for part in only)]
        # Every page in process first, then every page under load: measured after another page's load, a page
        # paid for the database's work left from it (autovacuum after the contact POSTs, checkpoints).
        costs = in_process(users, measured_pages, requests)
        for name, who, url, _ in measured_pages:
            cost = costs[name]
            row = {"page": name, "url": url, "user": who, "queries": cost.pop("queries"), "in_process": cost}
            if name == "contact log":
                report["contact_log_plan"] = explain_contact_log(users, url)
            report["pages"].append(row)
        for row, (name, who, url, body) in zip(report["pages"], measured_pages, strict=True):
            for connections in (2, 4):
                row[f"c{connections}"] = load(url, cookies[who], body, connections, duration)
            print(
                f"  scale {scale}: {name}: p95 {row['c4']['p95_ms']} ms at 4 connections, "
                f"in process {row['in_process']['median_ms']} ms (SQL {row['in_process']['sql_median_ms']} ms)",
                flush=True,
            )
        report["gunicorn"] = gunicorn_workers_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report["sweeps"] = {} if skip_sweeps else time_daily_sweeps(env)
    return report


# --- Goals ---------------------------------------------------------------------------------------------------


def goal_pages(scale):
    """The officer and manager pages (not the admin's) a scale measured."""
    return [row for row in scale["pages"] if row["user"] in ("officer", "manager")]


def in_process_met(row):
    cost = row["in_process"]
    return cost["median_ms"] <= IN_PROCESS_MEDIAN_MS and cost["sql_median_ms"] <= IN_PROCESS_SQL_MS


def goals(results):
    """Each goal of issue 21 with met, not met or not measured, and the figures that decided it."""
    scales = results["scales"]
    by_scale = {scale["scale"]: scale for scale in scales}
    at_goal = by_scale.get(GOAL_SCALE)
    marks = []

    def mark(goal, ok, detail):
        marks.append({"goal": goal, "status": NOT_MEASURED if ok is None else MET if ok else NOT_MET, "detail": detail})

    # Load at scale 50.
    goal = f"At scale {GOAL_SCALE} every page p95 ≤ {PAGE_P95_MS} ms at 4 connections"
    if at_goal and at_goal["pages"]:
        worst = max(at_goal["pages"], key=lambda row: row["c4"]["p95_ms"])
        over = [row["page"] for row in at_goal["pages"] if row["c4"]["p95_ms"] > PAGE_P95_MS]
        mark(
            goal,
            not over,
            f"slowest: {worst['page']} {worst['c4']['p95_ms']} ms" + (f"; over: {', '.join(over)}" if over else ""),
        )
    else:
        mark(goal, None, f"scale {GOAL_SCALE} was not in this run")

    goal = "Queries per page the same at every scale"
    if len(scales) > 1:
        counts = {}
        for scale in scales:
            for row in scale["pages"]:
                counts.setdefault(row["page"], {})[scale["scale"]] = row["queries"]
        varying = [f"{page} {by}" for page, by in counts.items() if len(set(by.values())) > 1]
        mark(
            goal,
            not varying,
            "varying: " + "; ".join(varying) if varying else f"scales {', '.join(str(s['scale']) for s in scales)}",
        )
    else:
        mark(goal, None, "one scale in this run")

    goal = (
        f"In process every officer and manager page median ≤ {IN_PROCESS_MEDIAN_MS} ms and SQL ≤ {IN_PROCESS_SQL_MS} ms"
        " (every scale)"
    )
    rows = [(scale["scale"], row) for scale in scales for row in goal_pages(scale)]
    if rows:
        missed = [f"{row['page']} at scale {n}" for n, row in rows if not in_process_met(row)]
        slowest = max(rows, key=lambda pair: pair[1]["in_process"]["median_ms"])
        most_sql = max(rows, key=lambda pair: pair[1]["in_process"]["sql_median_ms"])
        mark(
            goal,
            not missed,
            f"slowest: {slowest[1]['page']} {slowest[1]['in_process']['median_ms']} ms (scale {slowest[0]}); most SQL: "
            f"{most_sql[1]['page']} {most_sql[1]['in_process']['sql_median_ms']} ms (scale {most_sql[0]})",
        )
    else:
        mark(goal, None, "no officer or manager page in this run")

    goal = "The contact log's contact query uses an index-only or bounded plan (every scale)"
    plans = [(scale["scale"], scale["contact_log_plan"]) for scale in scales if scale.get("contact_log_plan")]
    if plans:
        n, plan = plans[-1]
        mark(
            goal,
            all(p["ok"] for _, p in plans),
            f"scale {n}: {plan['plan']} ({plan['rows_read']} rows read, {plan['execution_ms']} ms)",
        )
    else:
        mark(goal, None, "the contact log was not in this run")

    sweep_goals([scale for scale in scales if scale["status_sweep"]], mark)

    rss = [scale["gunicorn"]["max_rss_mb"] for scale in scales if scale.get("gunicorn", {}).get("max_rss_mb")]
    goal = f"Gunicorn worker resident size after the load < {WORKER_RSS_MB} MB (every scale)"
    mark(goal, max(rss) < WORKER_RSS_MB if rss else None, f"largest {max(rss)} MB" if rss else "not read")
    return marks


def sweep_goals(scales, mark):
    """The status sweep's goals, from the scales that timed it (all but --skip-sweeps runs)."""
    one = {scale["scale"]: scale["status_sweep"][0] for scale in scales}
    two = {scale["scale"]: scale["status_sweep"][1] for scale in scales}
    goal = f"Nightly status sweep over every case at scale {GOAL_SCALE} ≤ {SWEEP_SECONDS // 60} min with one worker"
    if GOAL_SCALE in one:
        mark(goal, one[GOAL_SCALE]["seconds"] <= SWEEP_SECONDS, f"{one[GOAL_SCALE]['seconds']} s")
    else:
        mark(goal, None, f"scale {GOAL_SCALE} was not timed in this run")
    goal = f"Two sweep workers take about half the time of one (≤ {TWO_WORKERS_RATIO:.0%}, at the largest scale)"
    goal_memory = f"Sweep peak memory < {SWEEP_MEMORY_MB} MB (every scale)"
    if not one:
        mark(goal, None, "the sweeps were not timed in this run")
        mark(goal_memory, None, "the sweeps were not timed in this run")
        return
    n = max(one)
    ratio = two[n]["seconds"] / one[n]["seconds"] if one[n]["seconds"] else 1
    detail = f"scale {n}: {one[n]['seconds']} s with one worker, {two[n]['seconds']} s with two ({ratio:.0%})"
    mark(goal, ratio <= TWO_WORKERS_RATIO, detail)
    peak = max(max(one[s]["peak_memory_mb"], two[s]["peak_memory_mb"]) for s in one)
    mark(goal_memory, peak < SWEEP_MEMORY_MB, f"largest peak {peak} MB")


# --- Reports -------------------------------------------------------------------------------------------------


def yes_no(ok):
    return MET if ok else NOT_MET


def scale_markdown(scale):
    lines = [
        f"## Scale {scale['scale']}",
        "",
        scale["seed"]
        + (
            f" (seeding took {scale['seed_seconds']} s, peak memory {scale['seed_peak_memory_mb']} MB)."
            if scale.get("seed_peak_memory_mb")
            else "."
        ),
        "",
    ]
    if scale.get("users"):
        lines += [
            f"Signed in as the officer {scale['users']['officer']} and the line manager {scale['users']['manager']}.",
            "",
        ]
    lines += [
        "| Page | Queries | In process median ms | In process p95 ms | SQL ms (median) | In-process goal "
        "| p50 ms (c4) | p95 ms (c2) | p95 ms (c4) | p99 ms (c4) | req/s (c4) | errors | p95 goal (c4) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in scale["pages"]:
        c2, c4, cost = row["c2"], row["c4"], row["in_process"]
        in_goal = yes_no(in_process_met(row)) if row["user"] in ("officer", "manager") else "–"
        lines.append(
            f"| {row['page']} | {row['queries']} | {cost['median_ms']} | {cost['p95_ms']} | {cost['sql_median_ms']} | "
            f"{in_goal} | {c4['p50_ms']} | {c2['p95_ms']} | {c4['p95_ms']} | {c4['p99_ms']} | "
            f"{c4['requests_per_second']} | {c2['errors'] + c4['errors']} | {yes_no(c4['p95_ms'] <= PAGE_P95_MS)} |"
        )
    plan = scale.get("contact_log_plan")
    if plan:
        kind = (
            "index-only" if plan["index_only"] else "bounded" if plan["bounded"] else "neither index-only nor bounded"
        )
        lines += [
            "",
            f"Contact log, page of contacts: {plan['plan']}; {plan['rows_read']} rows read, {plan['buffers']} buffers, "
            f"{plan['execution_ms']} ms ({kind}).",
        ]
    if scale["status_sweep"] or scale["sweeps"]:
        lines += [
            "",
            "| Sweep | Workers | Seconds | Batches | Peak memory MB (largest worker) |",
            "|---|---|---|---|---|",
        ]
    for run in scale["status_sweep"]:
        lines.append(
            f"| case status: ratings and what is due (nightly) | {run['workers']} | {run['seconds']} | "
            f"{run['batches']} of {run['batch_size']} cases ({run['average_batch_seconds']} s each) | "
            f"{run['peak_memory_mb']} |"
        )
    sweeps = scale["sweeps"]
    for name, value in sweeps.items():  # empty when --skip-sweeps
        if isinstance(value, dict):
            lines.append(
                f"| {name} (eager; one batch {value['one_batch_seconds']} s) | 1 | {value['seconds']} | | "
                f"{sweeps['peak_memory_mb']} |"
            )
    if scale.get("gunicorn"):
        workers = ", ".join(f"{w['rss_mb']} MB (peak {w['peak_rss_mb']})" for w in scale["gunicorn"]["workers"])
        lines += ["", f"Gunicorn workers' resident size after the load: {workers}."]
    return lines + [""]


def markdown(results):
    lines = [f"# Benchmark results ({results['when']})", "", f"Machine: {results['machine']}", ""]
    lines += [
        f"Scales: {', '.join(str(scale['scale']) for scale in results['scales'])}; "
        f"wrk {results['duration']} s per page "
        f"and concurrency; in process: median and p95 of {results['requests']} requests after 3 of warm-up.",
        "",
        "## Goals",
        "",
        "| Goal | Status | Measured |",
        "|---|---|---|",
    ]
    for goal in results["goals"]:
        lines.append(f"| {goal['goal']} | {goal['status']} | {goal['detail']} |")
    lines.append("")
    for scale in results["scales"]:
        lines += scale_markdown(scale)
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and concurrency")
    parser.add_argument("--requests", type=int, default=20, help="requests per page measured in process")
    parser.add_argument("--reuse", action="store_true", help="measure the database already seeded (one scale)")
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose name contains one of these")
    parser.add_argument("--skip-sweeps", action="store_true", help="pages only (with --reuse: re-measure pages)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the results go (a trial run: elsewhere)")
    args = parser.parse_args()
    # The production settings, as deployed (persistent database connections, manifest static files),
    # with plain HTTP on loopback. Tasks the pages enqueue go to a Redis database of their own that no
    # worker reads; it is emptied afterwards.
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",  # the digests are built, not sent
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    sys.path.insert(0, str(ROOT))
    django_setup({**base_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}"})
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL 15, gunicorn 2 sync workers, wrk on loopback",
        "duration": args.duration,
        "requests": args.requests,
        "scales": [],
    }
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    for scale in args.scales:
        from django.db import connections

        connections.close_all()
        report = run_scale(
            scale,
            args.duration,
            base_env,
            requests=args.requests,
            reuse=args.reuse,
            only=args.pages,
            skip_sweeps=args.skip_sweeps,
        )
        results["scales"].append(report)
        # Each scale on its own as well, so a later run of other scales leaves this one's figures in place.
        alone = {**results, "scales": [report]}
        (out / f"scale-{scale}.json").write_text(json.dumps(alone, indent=2, default=str))
        header = [f"# Benchmark results, scale {scale} ({results['when']})", "", f"Machine: {results['machine']}", ""]
        (out / f"scale-{scale}.md").write_text("\n".join(header + scale_markdown(report)))
    sh("redis-cli", "-n", BROKER.rsplit("/", 1)[1], "flushdb", check=False)
    results["goals"] = goals(results)
    (out / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    (out / "latest.md").write_text(markdown(results))
    print((out / "latest.md").read_text())


if __name__ == "__main__":
    main()
