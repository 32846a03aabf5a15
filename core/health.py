"""Health checks for load balancers and orchestrators. Public: they say what is wrong, never anything private.

/health/live: the process is up and serving (touches nothing else; restart the process if this fails).
/health/ready: the database answers, every migration is applied and the broker is reachable; a 503 names
the failing part, so a deploy or an outage takes the instance out of rotation rather than serving errors.
"""

import logging

from celery import current_app
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 3
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
