"""The restore drill (docs/backup.md): a pg_dump and a copy of the letter
store restore into a fresh PostgreSQL database whose every letter matches
its SHA-256. Needs PostgreSQL and its client programs; skipped without
them, failed under REQUIRE_SERVICES=1."""

import os
import shutil
import subprocess

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mikrolaan.letters.models import LetterStatus
from mikrolaan.letters.storage import letters_root
from tests.conftest import require
from tests.letters.helpers import make_case, make_letter


def _pg_dump(path):
    db = connection.settings_dict
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    subprocess.run(
        [
            *("pg_dump", "-Fc", "-f", str(path)),
            *("-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)),
            *(["-U", db["USER"]] if db.get("USER") else []),
            db["NAME"],
        ],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def _database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_and_every_letter_matches_its_sha256(tmp_path, capsys):
    require(
        django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        "the restore drill needs PostgreSQL (DATABASE_URL)",
    )
    require(
        all(shutil.which(t) for t in ("pg_dump", "pg_restore", "psql", "createdb", "dropdb")),
        "the PostgreSQL client programs are not installed",
    )
    case = make_case()
    letters = [make_letter(case=case, pdf=f"%PDF-1.7\n% {n}\n%%EOF\n".encode()) for n in range(3)]
    make_letter(case=case, status=LetterStatus.PENDING)

    # The backup, in the documented order: the database first, then the store.
    dump = tmp_path / "mikrolaan.dump"
    _pg_dump(dump)
    store = tmp_path / "letters"
    shutil.copytree(letters_root(), store)

    call_command("restore_drill", dump=str(dump), letters=str(store))
    out = capsys.readouterr().out
    assert "the restored schema matches the code" in out
    assert "3 generated letters checked: 3 ok, 0 missing, 0 differ (1 pending" in out
    assert "restore drill passed" in out
    target = f"{django_settings.DATABASES['default']['NAME']}_restore_drill"
    assert not _database_exists(target)

    # A store copy with a damaged PDF fails the drill, naming the letter.
    (store / letters[1].pdf.name).write_bytes(b"%PDF-1.7\n% damaged\n%%EOF\n")
    with pytest.raises(CommandError, match=f"letter {letters[1].pk}: SHA-256 differs"):
        call_command("restore_drill", dump=str(dump), letters=str(store))
    assert not _database_exists(target)


def test_the_drill_refuses_without_postgresql_or_files(tmp_path, settings):
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError, match="No dump file"):
            call_command("restore_drill", dump=str(tmp_path / "none"), letters=str(tmp_path))
    else:
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            call_command("restore_drill", dump=str(tmp_path / "none"), letters=str(tmp_path))
