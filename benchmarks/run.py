"""Benchmark harness: seed PostgreSQL at each scale, serve with gunicorn, load with wrk, time the sweeps.

    python benchmarks/run.py --scales 1 10 --duration 10

Writes benchmarks/results/latest.json and latest.md. Needs PostgreSQL on 127.0.0.1:5432 (trust auth)
and wrk (Debian package). `make bench` runs it.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DB = os.environ.get("BENCH_DB", "casework_bench")
PORT = 8799
BROKER = "redis://127.0.0.1:6379/15"
CSRF = "benchbenchbenchbenchbenchbench12"  # a 32-character CSRF secret used as cookie and form token


def sh(*args, env=None, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


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
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
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
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
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


def queries_per_request(users, url, who, body):
    """SQL queries one request makes (counted in this process with Django's test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(users[who])
    # Steady state, as the load sees it: the first request renews the session and may store statuses.
    client.post(url, dict(pair.split("=", 1) for pair in body.split("&"))) if body else client.get(url)
    with CaptureQueriesContext(connection) as captured:
        if body:
            client.post(url, dict(pair.split("=", 1) for pair in body.split("&")))
        else:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    return len(captured)


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


def time_sweeps():
    """Run the daily sweeps in this process (tasks eager) and measure time and memory."""
    from celery import current_app
    from django.utils import timezone

    from contacts import sweeps as contact_sweeps
    from contacts.tasks import sweep_contact_reminders
    from risk import sweeps as risk_sweeps
    from risk.tasks import sweep_enquiries

    current_app.conf.task_always_eager = True
    today = timezone.localdate()
    results = {}
    for name, task, ids, batch in (
        ("contact reminders", sweep_contact_reminders, contact_sweeps.cases_with_plans, contact_sweeps.remind_contacts),
        ("DA and safeguarding enquiries", sweep_enquiries, risk_sweeps.scheduled_cases, risk_sweeps.remind_enquiries),
    ):
        started = time.monotonic()
        task.delay()
        elapsed = time.monotonic() - started
        sample = list(ids()[:500])
        batch_started = time.monotonic()
        batch(sample, today)  # the longest transaction a sweep holds is one batch
        results[name] = {"seconds": round(elapsed, 1), "one_batch_seconds": round(time.monotonic() - batch_started, 2)}
    results["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


def run_scale(scale, duration, base_env, reuse=False, only=()):
    from casework.models import ServiceUser

    env = {**base_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}"}
    seeded, seed_seconds = "Reused the seeded database", 0
    if not reuse:
        fresh_database(env)
        started = time.monotonic()
        seeded = sh(sys.executable, "manage.py", "seed_bench", "--scale", str(scale), env=env).stdout.strip()
        seed_seconds = round(time.monotonic() - started, 1)
        sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-qc", "ANALYZE")
    report = {"scale": scale, "seed": seeded, "seed_seconds": seed_seconds, "pages": []}
    # As in production, the nightly sweep has stored every case's criteria ratings before the day starts.
    report["ratings_sweep"] = time_ratings_sweep()
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
        time.sleep(3)
        users, cookies = sessions()
        report["users"] = {
            "officer": f"{users['officer'].username} ({users['officer'].caseload.count()} cases)",
            "manager": f"{users['manager'].username} "
            f"({ServiceUser.objects.filter(team__managers=users['manager']).count()} cases)",
        }
        for name, who, url, body in pages(users):
            if only and not any(part in name for part in only):
                continue
            row = {"page": name, "url": url, "user": who, "queries": queries_per_request(users, url, who, body)}
            for connections in (2, 4):
                row[f"c{connections}"] = load(url, cookies[who], body, connections, duration)
            report["pages"].append(row)
            print(f"  scale {scale}: {name}: p95 {row['c4']['p95_ms']} ms at 4 connections", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report["sweeps"] = time_sweeps()
    return report


def time_ratings_sweep():
    """The nightly criteria-ratings sweep over every case, run in this process (tasks eager)."""
    from celery import current_app

    from risk.tasks import sweep_case_status

    current_app.conf.task_always_eager = True
    started = time.monotonic()
    batches = sweep_case_status.delay().get()
    seconds = time.monotonic() - started
    # Eager: the batches ran one after another, each in its own transaction.
    return {"seconds": round(seconds, 1), "batches": batches, "average_batch_seconds": round(seconds / batches, 2)}


def markdown(results):
    lines = [f"# Benchmark results ({results['when']})", "", f"Machine: {results['machine']}", ""]
    for scale in results["scales"]:
        lines += [
            f"## Scale {scale['scale']}",
            "",
            scale["seed"] + f" (seeding took {scale['seed_seconds']} s)",
            "",
            f"Signed in as the officer {scale['users']['officer']} and the line manager {scale['users']['manager']}.",
            "",
            "| Page | Queries | p50 ms (c4) | p95 ms (c2) | p95 ms (c4) | p99 ms (c4) | req/s (c4) | errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in scale["pages"]:
            c2, c4 = row["c2"], row["c4"]
            lines.append(
                f"| {row['page']} | {row['queries']} | {c4['p50_ms']} | {c2['p95_ms']} | {c4['p95_ms']} | "
                f"{c4['p99_ms']} | {c4['requests_per_second']} | {c2['errors'] + c4['errors']} |"
            )
        sweeps = scale["sweeps"]
        lines += ["", "| Sweep | Seconds | One batch (500 cases) |", "|---|---|---|"]
        ratings = scale["ratings_sweep"]
        lines.append(
            f"| case status: ratings and what is due (nightly) | {ratings['seconds']} | "
            f"{ratings['average_batch_seconds']} s (average of {ratings['batches']}) |"
        )
        for name, value in sweeps.items():
            if isinstance(value, dict):
                lines.append(f"| {name} | {value['seconds']} | {value['one_batch_seconds']} s |")
        lines += ["", f"Peak memory of the sweep process: {sweeps['peak_memory_mb']} MB", ""]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and concurrency")
    parser.add_argument("--reuse", action="store_true", help="measure the database already seeded (one scale)")
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose name contains one of these")
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
        "scales": [],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL 15, gunicorn 2 sync workers, wrk on loopback",
    }
    for scale in args.scales:
        from django.db import connections

        connections.close_all()
        results["scales"].append(run_scale(scale, args.duration, base_env, reuse=args.reuse, only=args.pages))
    sh("redis-cli", "-n", BROKER.rsplit("/", 1)[1], "flushdb", check=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    (RESULTS / "latest.md").write_text(markdown(results))
    print((RESULTS / "latest.md").read_text())


if __name__ == "__main__":
    main()
