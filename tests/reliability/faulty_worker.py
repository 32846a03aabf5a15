"""A real Celery worker (prefork, two children) for the fault tests, started as its own process.

FAULT=kill-after-batch: the first child to finish a contact batch's work is SIGKILLed before it can acknowledge
or mark the batch done (what the OOM killer does); FAULT_MARKER names a file that makes it happen only once.
"""

import os
import signal
import sys
from pathlib import Path

import django

django.setup()

from config.celery import app  # noqa: E402
from contacts import sweeps  # noqa: E402

if os.environ.get("FAULT") == "kill-after-batch":
    marker = Path(os.environ["FAULT_MARKER"])
    real_remind_contacts = sweeps.remind_contacts

    def remind_then_die(case_ids, today):
        created = real_remind_contacts(case_ids, today)
        try:
            marker.touch(exist_ok=False)
        except FileExistsError:
            return created
        os.kill(os.getpid(), signal.SIGKILL)  # the reminders are saved; the message is not acknowledged

    sweeps.remind_contacts = remind_then_die

if __name__ == "__main__":
    sys.exit(
        app.worker_main(
            ["worker", "--pool=prefork", "--concurrency=2", "--loglevel=INFO", "--without-gossip", "--without-mingle"]
        )
    )
