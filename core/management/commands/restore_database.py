from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backup import restore


class Command(BaseCommand):
    help = "Replace everything in the database (DATABASE_URL) with a backup from `make backup`."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="Confirm: everything saved since the backup is lost")

    def handle(self, *args, file, yes, **options):
        if not yes:
            raise CommandError(
                "Restoring replaces everything in the database with the backup. Run `make restore FILE=... "
                "CONFIRM=yes` (or pass --yes) once web, workers and beat are stopped."
            )
        connection.close()  # nothing of this process holds the database while it is replaced
        try:
            restore(connection.settings_dict, Path(file))
        except (FileNotFoundError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {connection.settings_dict['NAME']} from {file}")
