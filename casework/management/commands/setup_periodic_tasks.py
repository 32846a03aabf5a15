"""Register the recurring sweeps with django-celery-beat so admins can see and change them in the admin.

Idempotent: running it again updates the same entries (found by name) and creates nothing twice.
"""

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

LONDON = "Europe/London"

SCHEDULES = [
    # (name, task, crontab or interval)
    # Before the working day, so the first team pages of the morning read stored statuses.
    ("Nightly case status: ratings and what is due", "risk.tasks.sweep_case_status", {"minute": "0", "hour": "2"}),
    ("Daily domestic abuse and safeguarding enquiry sweep", "risk.tasks.sweep_enquiries", {"minute": "0", "hour": "6"}),
    (
        "Daily contact reminders and approval reminders",
        "contacts.tasks.sweep_contact_reminders",
        {"minute": "30", "hour": "6"},
    ),
    # Appointment reminders to service users through GOV.UK Notify (contacts/reminders.py).
    ("Appointment reminders to service users", "contacts.tasks.sweep_reminders", {"every_minutes": 15}),
    ("Weekly plans with no appointment booked", "contacts.tasks.sweep_weekly_bookings", {"minute": "0", "hour": "9"}),
    ("Monday morning digest", "risk.tasks.weekly_digest", {"minute": "0", "hour": "7", "day_of_week": "1"}),
    ("Email notification digests", "casework.tasks.send_notification_digests", {"every_minutes": 15}),
    # Follow-up work the broker could not take when it was saved (see core/queue.py).
    ("Send follow-up work waiting in the outbox", "core.tasks.dispatch_outbox", {"every_minutes": 1}),
    # Sends lost sweep batches again, starts a daily sweep beat missed, tells admins of a late one (core/runs.py).
    ("Sweep watchdog: finish what was missed", "casework.tasks.sweep_watchdog", {"every_minutes": 5}),
]


class Command(BaseCommand):
    help = "Register the sweeps with the beat scheduler (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--run-now", action="store_true", help="Mark the sweeps as due so beat runs them at once (used by make run)"
        )

    def handle(self, *args, run_now=False, **options):
        for name, task, spec in SCHEDULES:
            if "every_minutes" in spec:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=spec["every_minutes"], period=IntervalSchedule.MINUTES
                )
                schedule = {"interval": interval, "crontab": None}
            else:
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=spec["minute"],
                    hour=spec["hour"],
                    day_of_week=spec.get("day_of_week", "*"),
                    day_of_month="*",
                    month_of_year="*",
                    timezone=LONDON,
                )
                schedule = {"crontab": crontab, "interval": None}
            entry, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "enabled": True, **schedule}
            )
            self.stdout.write(f"{'Created' if created else 'Updated'}: {name} ({task})")
        if run_now:
            # Beat only looks at crontab entries due this hour, so a 6am sweep would wait for tomorrow.
            from contacts.tasks import sweep_contact_reminders, sweep_reminders
            from risk.tasks import sweep_case_status, sweep_enquiries

            for task in (sweep_case_status, sweep_enquiries, sweep_contact_reminders, sweep_reminders):
                task.delay()
                self.stdout.write(f"Queued now: {task.name}")
