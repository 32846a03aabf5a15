"""The Celery app. Broker and schedules come from Django settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery, bootsteps
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

WORKER_HEARTBEAT_SECONDS = 30


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Every 30 seconds the worker writes a heartbeat (core.Heartbeat "worker"): /health/ready reads it to
    report whether any worker is answering. Runs on the worker's timer thread, apart from the tasks."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        self.timer_ref = None

    def start(self, worker):
        from core.beat import write_heartbeat

        write_heartbeat("worker")
        self.timer_ref = worker.timer.call_repeatedly(WORKER_HEARTBEAT_SECONDS, write_heartbeat, ("worker",))

    def stop(self, worker):
        if self.timer_ref is not None:
            self.timer_ref.cancel()


app.steps["worker"].add(WorkerHeartbeat)


@setup_logging.connect
def config_loggers(*args, **kwargs) -> None:
    """The worker and beat log with Django's LOGGING (LOG_LEVEL, LOG_FORMAT), as web does.

    A receiver on this signal stops Celery configuring logging itself, so it neither replaces the root
    logger's handlers nor applies its own format; the worker's --loglevel is then not used (set LOG_LEVEL).
    """
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@before_task_publish.connect
def carry_request_id(headers=None, **kwargs) -> None:
    """A task sent while a request (or a task it started) runs carries that request's id."""
    from core.logging import request_id_var

    current = request_id_var.get()
    if current and headers is not None and not headers.get("request_id"):
        headers["request_id"] = current


@task_prerun.connect
def start_task_request_id(task=None, **kwargs) -> None:
    """A task's log lines carry the id of the request that enqueued it (core.queue sends it as a header)."""
    from core.logging import request_id_var, safe_request_id

    request = task.request
    sent = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get("request_id")
    request._request_id_token = request_id_var.set(safe_request_id(sent) or "")


@task_postrun.connect
def end_task_request_id(task=None, **kwargs) -> None:
    from core.logging import request_id_var

    token = getattr(task.request, "_request_id_token", None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (eager tasks nest): clear it instead
            request_id_var.set("")


def ensure_filesystem_broker_folders(settings) -> None:
    """kombu's filesystem transport fails on missing folders; create them before use."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
