from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from core.backup import backup


class Command(BaseCommand):
    help = "Back up the database (DATABASE_URL) to var/backups/<time>.dump (PostgreSQL) or .sqlite3 (SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.VAR_DIR) / "backups"))

    def handle(self, *args, folder, **options):
        target = backup(connection.settings_dict, Path(folder))
        self.stdout.write(f"Backed up to {target}")
