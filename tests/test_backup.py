"""`sightline backup`: a consistent copy of the database it runs against (SQLite or PostgreSQL)."""

import re
import sqlite3
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.projects.management.commands.backup import backup_postgresql
from sightline.projects.models import Membership, Project

TABLES = {model._meta.db_table: model for model in (Project, Membership, Item, AuditEvent)}


def rows_in_copy(path) -> dict[str, int]:
    """Row counts per table as the backup file holds them."""
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(path)
        try:
            return {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in TABLES}
        finally:
            copy.close()
    counts = {}
    for table in TABLES:  # the COPY block of each table's data, one line per row
        sql = subprocess.run(
            ["pg_restore", "--data-only", f"--table={table}", "-f", "-", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        block = sql.split(f"COPY public.{table} ", 1)[1].split("\n", 1)[1].split("\\.\n", 1)[0]
        counts[table] = len(block.splitlines())
    return counts


@pytest.fixture
def engagement(transactional_db, make_item, client_po):
    """A little committed history (pg_dump sees only committed rows)."""
    from sightline.backlog.transitions import item_accept

    for _ in range(3):
        make_item(Status.READY)
    delivered = make_item(Status.DELIVERED)
    item_accept(actor=client_po.user, membership=client_po, item=delivered)


def test_backup_copies_the_database_with_the_same_row_counts(engagement, tmp_path):
    target = tmp_path / "copy.bak"
    out = StringIO()
    call_command("backup", output=str(target), stdout=out)
    assert f"Backup written to {target}" in out.getvalue()
    expected = {table: model.objects.count() for table, model in TABLES.items()}
    assert expected[Item._meta.db_table] == 4
    assert rows_in_copy(target) == expected
    assert target.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob("*.partial"))


def test_backup_goes_to_var_backups_with_a_timestamped_name_by_default(engagement, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("backup", stdout=StringIO())
    (written,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"sightline-\d{8}-\d{6}\.(sqlite3|dump)", written.name)
    assert rows_in_copy(written)[Item._meta.db_table] == 4


def test_backup_refuses_to_overwrite_an_existing_file(db, tmp_path):
    target = tmp_path / "existing.bak"
    target.write_text("yesterday's backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(target), stdout=StringIO())
    assert target.read_text() == "yesterday's backup"


def test_postgresql_backup_says_clearly_when_pg_dump_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without the PostgreSQL client tools
    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup_postgresql({"NAME": "sightline", "HOST": "db.internal"}, tmp_path / "x.dump")
