from django.core.management.base import BaseCommand
from django.utils import timezone

from allocation.demo import seed_allocation
from casework.demo import DEMO_PASSWORD, STAFF, WORKED_EXAMPLE_CRN, seed_demo
from contacts.demo import seed_contacts
from risk.demo import seed_risk


class Command(BaseCommand):
    help = "Load demo teams, staff and cases (idempotent: running it twice creates nothing twice)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        created = seed_demo(today)
        contacts = seed_contacts(today=today, worked_example_crn=WORKED_EXAMPLE_CRN)
        risk = seed_risk(today=today, worked_example_crn=WORKED_EXAMPLE_CRN)
        allocation = seed_allocation()
        self.stdout.write(
            f"Demo data: created {created['teams']} teams, {created['users']} users, {created['cases']} cases; "
            f"contact history for {contacts} cases; risk records for {risk} cases; {allocation} allocation records."
        )
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in STAFF:
            detail = " ".join(filter(None, [spec.role.label, spec.grade, spec.team]))
            self.stdout.write(f"  {spec.username:<15} {detail}")
