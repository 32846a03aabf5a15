"""Back up and restore the database: `make backup` and `make restore FILE=... CONFIRM=yes`.

PostgreSQL: pg_dump's custom format (-Fc), restored with pg_restore --clean, so a restore replaces every table
with its backed-up rows. SQLite (the embedded default): a consistent copy made with SQLite's online backup,
safe while web, worker and beat are writing. Connection details come from DATABASE_URL, as for the app.
"""

import os
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def backup(database: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if database["ENGINE"] == SQLITE:
        target = folder / f"{stamp}.sqlite3"
        _sqlite_copy(Path(database["NAME"]), target)
    else:
        target = folder / f"{stamp}.dump"
        _run(["pg_dump", "-Fc", "--no-owner", "-f", str(target), *_pg_args(database)], database)
    return target


def restore(database: dict, source: Path) -> None:
    if not source.is_file():
        raise FileNotFoundError(f"No backup at {source}")
    if database["ENGINE"] == SQLITE:
        _sqlite_copy(source, Path(database["NAME"]))
    else:
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, *_pg_args(database), str(source)], database)


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as from_db, sqlite3.connect(target) as to_db:
        from_db.backup(to_db)


def _pg_args(database: dict) -> list[str]:
    args = ["-d", database["NAME"]]
    if database.get("HOST"):
        args += ["-h", database["HOST"]]
    if database.get("PORT"):
        args += ["-p", str(database["PORT"])]
    if database.get("USER"):
        args += ["-U", database["USER"]]
    return args


def _run(command: list[str], database: dict) -> None:
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()}")
