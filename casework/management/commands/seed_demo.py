from django.core.management.base import BaseCommand

from casework.demo import DEMO_PASSWORD, STAFF, seed_demo


class Command(BaseCommand):
    help = "Load demo teams, staff and cases (idempotent: running it twice creates nothing twice)."

    def handle(self, *args, **options):
        created = seed_demo()
        self.stdout.write(
            f"Demo data: created {created['teams']} teams, {created['users']} users, {created['cases']} cases."
        )
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in STAFF:
            detail = " ".join(filter(None, [spec.role.label, spec.grade, spec.team]))
            self.stdout.write(f"  {spec.username:<15} {detail}")
