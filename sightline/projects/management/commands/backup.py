"""`sightline backup`: a consistent copy of the database.

SQLite is copied through its online backup API (a consistent snapshot, even while the app writes) into
a single self-contained file; PostgreSQL is dumped with ``pg_dump`` in its custom format (one snapshot),
to be restored with ``pg_restore``.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

SUFFIXES = {"sqlite": "sqlite3", "postgresql": "dump"}


def default_path(vendor: str) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"sightline-{stamp}.{SUFFIXES[vendor]}"


def backup_sqlite(connection, path: Path) -> None:
    """Copy the open SQLite database into ``path`` through the online backup API."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal/-shm companions
    finally:
        target.close()


def backup_postgresql(settings_dict: dict, path: Path) -> None:
    """Dump the PostgreSQL database into ``path`` with pg_dump (custom format)."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CommandError(
            "pg_dump was not found on the PATH. Install the PostgreSQL client tools (Debian: apt install "
            "postgresql-client), at least the server's version, then run the backup again."
        )
    # Django's psql settings (host, port, user, password, SSL options) apply to pg_dump unchanged.
    psql_args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = [pg_dump, "--format=custom", f"--file={path}", *psql_args[1:]]
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed (exit {result.returncode}): {result.stderr.strip()}")


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database: SQLite through its online backup API, PostgreSQL with "
        "pg_dump (custom format). Default: var/backups/sightline-YYYYmmdd-HHMMSS.sqlite3 (or .dump)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="the file to write (it must not exist yet)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias to back up")

    def handle(self, *args, output: str | None, database: str, **options):
        connection = connections[database]
        vendor = connection.vendor
        if vendor not in SUFFIXES:
            raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        path = Path(output) if output else default_path(vendor)
        if path.exists():
            raise CommandError(f"{path} already exists; choose another --output.")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            if vendor == "sqlite":
                backup_sqlite(connection, partial)
            else:
                backup_postgresql(connection.settings_dict, partial)
            partial.chmod(0o600)  # it holds password hashes and the client's data
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
