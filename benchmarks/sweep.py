"""One sweep process for the bench, started by benchmarks/run.py with the bench's environment.

    python benchmarks/sweep.py status --worker 0 --workers 2 --day 2026-11-30
    python benchmarks/sweep.py daily --day 2026-11-30

`status`: this worker's share of the nightly case-status sweep: the same batches risk.tasks.sweep_case_status
sends (every case in id order, SWEEP_BATCH_SIZE at a time), every `workers`-th one starting at `worker`,
each through the batch task's own function, as a Celery worker would run it. `daily`: the contact-reminder
and enquiry sweeps, tasks eager. Prints one JSON line: when the work started and finished (after Django's
start-up, which a running Celery worker has already paid), how many batches, and the process's peak memory.
"""

import argparse
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_memory_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def status(worker, workers, day):
    from django.conf import settings

    from casework.models import ServiceUser
    from risk.tasks import refresh_case_status_batch

    started = time.time()
    ids = list(ServiceUser.objects.order_by("pk").values_list("pk", flat=True))
    size = settings.SWEEP_BATCH_SIZE
    batches = [ids[start : start + size] for start in range(0, len(ids), size)][worker::workers]
    del ids
    for batch in batches:
        refresh_case_status_batch(batch, day.isoformat())  # no batch_id: not a recorded run
    return {"started": started, "finished": time.time(), "batches": len(batches), "batch_size": size}


def daily(day):
    from celery import current_app

    from contacts import sweeps as contact_sweeps
    from contacts.tasks import sweep_contact_reminders
    from risk import sweeps as risk_sweeps
    from risk.tasks import sweep_enquiries

    current_app.conf.task_always_eager = True
    results = {}
    for name, task, ids, batch in (
        ("contact reminders", sweep_contact_reminders, contact_sweeps.cases_with_plans, contact_sweeps.remind_contacts),
        ("DA and safeguarding enquiries", sweep_enquiries, risk_sweeps.scheduled_cases, risk_sweeps.remind_enquiries),
    ):
        started = time.monotonic()
        task.delay(day.isoformat())
        elapsed = time.monotonic() - started
        sample = list(ids()[:500])
        batch_started = time.monotonic()
        batch(sample, day)  # the longest transaction a sweep holds is one batch
        results[name] = {"seconds": round(elapsed, 1), "one_batch_seconds": round(time.monotonic() - batch_started, 2)}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["status", "daily"])
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--day", type=date.fromisoformat, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    result = status(args.worker, args.workers, args.day) if args.mode == "status" else daily(args.day)
    print("SWEEP " + json.dumps({**result, "peak_memory_mb": peak_memory_mb()}), flush=True)


if __name__ == "__main__":
    main()
