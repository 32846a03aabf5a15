"""Health checks for load balancers and orchestrators. Public: they say what is wrong, never anything private.

/health/live: the process is up and serving (touches nothing else; restart the process if this fails).
/health/ready: the database answers, every migration is applied, the broker is reachable, a worker and beat
have written a heartbeat in the last two minutes and no daily sweep is late (core/runs.py); a 503 names the
failing part. `/health/ready?scope=web` checks only what a web process needs (database, migrations, broker),
for a load balancer that should not take web out of rotation because a worker is down.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 3
# Worker and beat write a heartbeat every 30 seconds (config/celery.py, core/beat.py): four missed is an outage.
HEARTBEAT_STALE_AFTER = timedelta(minutes=2)
_migrations_applied = False  # once applied they stay applied for this code, so look once per process


@login_not_required
@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def ready(request):
    checks = {"database": _check("database", _database), "migrations": "not checked", "broker": "not checked"}
    if checks["database"] == "ok":  # migrations can only be read from a database that answers
        checks["migrations"] = _check("migrations", _migrations)
    checks["broker"] = _check("broker", _broker)
    if request.GET.get("scope") != "web":
        database_up = checks["database"] == "ok"
        for name, probe in (("worker", _worker), ("beat", _beat), ("sweeps", _sweeps)):
            checks[name] = _check(name, probe) if database_up else "not checked"
    failing = [name for name, result in checks.items() if result not in ("ok", "not checked")]
    status = 503 if failing else 200
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks}, status=status
    )


def _check(name: str, probe) -> str:
    try:
        return probe()
    except Exception as error:  # any failure means not ready; the detail goes to the log, not the public page
        logger.warning("Readiness check %s failed: %r", name, error)
        return "unreachable"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "not applied"
        _migrations_applied = True
    return "ok"


def _broker() -> str:
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


def _heartbeat(name: str) -> str:
    from .runs import heartbeat_age

    age = heartbeat_age(name)
    if age is None:
        return "no heartbeat yet"
    if age > HEARTBEAT_STALE_AFTER:
        return f"no heartbeat for {int(age.total_seconds() // 60)} minutes"
    return "ok"


def _worker() -> str:
    return _heartbeat("worker")


def _beat() -> str:
    return _heartbeat("beat")


def _sweeps() -> str:
    from .runs import late_sweeps

    late = late_sweeps()
    return "late: " + ", ".join(sweep.label for sweep in late) if late else "ok"
