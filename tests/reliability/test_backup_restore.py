"""`make backup` and `make restore`: a backup taken with a contact in it brings that contact back after the
database is lost or changed. Restores go into a scratch database the test creates, never anyone else's."""

import os
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests import factories

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ON_POSTGRES = connection.vendor == "postgresql"


class Scratch:
    """A database of the test's own: a PostgreSQL database on the same server, or an SQLite file."""

    def __init__(self, tmp_path: Path):
        self.settings = dict(connection.settings_dict)
        if ON_POSTGRES:
            self.settings["NAME"] = f"casework_restore_{uuid.uuid4().hex[:8]}"
            self._admin("CREATE DATABASE {}")
            s = self.settings
            self.url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
        else:
            self.settings["NAME"] = str(tmp_path / "scratch.sqlite3")
            self.url = f"sqlite:///{self.settings['NAME']}"

    def _admin(self, statement: str) -> None:
        s = self.settings
        admin = psycopg2.connect(
            dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"]
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(statement.format(s["NAME"]))
        admin.close()

    def _connect(self, name: str):
        s = self.settings
        return psycopg2.connect(dbname=name, user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"])

    def query(self, sql: str, *params):
        s = self.settings
        if ON_POSTGRES:
            db = psycopg2.connect(
                dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"]
            )
            sql = sql.replace("?", "%s")
        else:
            db = sqlite3.connect(s["NAME"])
        try:
            cursor = db.cursor()
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else None
            db.commit()
            return rows
        finally:
            db.close()

    def drop(self) -> None:
        if ON_POSTGRES:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@pytest.fixture
def scratch(tmp_path):
    database = Scratch(tmp_path)
    yield database
    database.drop()


def restore(scratch: Scratch, backup: Path, *extra: str):
    """`make restore FILE=... CONFIRM=yes` runs this, in its own process, against DATABASE_URL."""
    env = {**os.environ, "DATABASE_URL": scratch.url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    return subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(backup), *extra],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_brings_back_a_contact_after_the_database_is_lost_or_changed(north, tmp_path, scratch):
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    contact = factories.ContactFactory(service_user=case, officer=north.officer, notes="Seen at home; partner present")
    out = StringIO()
    call_command("backup_database", folder=str(tmp_path / "backups"), stdout=out)
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.suffix == (".dump" if ON_POSTGRES else ".sqlite3") and str(backup) in out.getvalue()

    # The database is lost: the restore brings the contact back into an empty one.
    result = restore(scratch, backup, "--yes")
    assert result.returncode == 0, result.stderr
    find = "SELECT notes FROM contacts_contact WHERE id = ?"
    assert scratch.query(find, contact.pk) == [("Seen at home; partner present",)]

    # The database is changed after the backup: the restore puts back what the backup held.
    scratch.query("UPDATE contacts_contact SET notes = ? WHERE id = ?", "overwritten", contact.pk)
    scratch.query("DELETE FROM casework_notification")
    assert restore(scratch, backup, "--yes").returncode == 0
    assert scratch.query(find, contact.pk) == [("Seen at home; partner present",)]


def test_restore_refuses_without_confirmation(tmp_path):
    with pytest.raises(CommandError, match="Restoring replaces everything in the database"):
        call_command("restore_database", str(tmp_path / "any.dump"))
