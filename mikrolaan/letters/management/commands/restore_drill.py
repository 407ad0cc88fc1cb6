"""Restore drill: prove that a backup can be restored and is complete.

    python manage.py restore_drill --dump mikrolaan.dump --letters /restore/letters [--keep]

Restores the ``pg_dump -Fc`` file into a new, empty PostgreSQL database on
the configured server (``<name>_restore_drill``, or ``--target-db``), checks
that the code's migrations match it (``migrate --check``), and checks every
generated letter's PDF in the letter-store copy against its SHA-256
(``verify_letters``), both in a fresh process on the restored database. The
database is dropped afterwards unless ``--keep``. See docs/backup.md.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _database_url(db: dict, name: str) -> str:
    auth = quote(db.get("USER") or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db.get('PORT') or 5432}/{name}"


# The PostgreSQL client programs run here with fixed arguments; the only
# free text, the database name, is checked against SAFE_NAME first.
SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (the PostgreSQL client programs).")
    return path


def _run(cmd: list[str], env: dict, what: str) -> str:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{what} failed:\n{(result.stderr or result.stdout).strip()[-3000:]}")
    return result.stdout


class Command(BaseCommand):
    help = "Restore a pg_dump into a fresh database and verify every letter against its SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--dump", required=True, help="a pg_dump file in custom format (-Fc)")
        parser.add_argument("--letters", required=True, metavar="DIR", help="the letter store copy")
        parser.add_argument("--target-db", help="name of the database to restore into (new)")
        parser.add_argument("--keep", action="store_true", help="keep the restored database")

    def handle(self, *args, dump, letters, target_db=None, keep=False, **options):
        db = settings.DATABASES["default"]
        if connection.vendor != "postgresql":
            raise CommandError("The restore drill needs PostgreSQL (DATABASE_URL).")
        if not Path(dump).is_file():
            raise CommandError(f"No dump file at {dump}")
        if not Path(letters).is_dir():
            raise CommandError(f"No letter store folder at {letters}")
        name = target_db or f"{db['NAME']}_restore_drill"
        if not SAFE_NAME.match(name):
            raise CommandError(f"Not a plain database name: {name!r}")
        if name == db["NAME"]:
            raise CommandError("The drill restores into a new database, never the live one.")
        pg, env = _pg_args(db)
        exists = _run(
            [
                _tool("psql"),
                *pg,
                *("-d", "postgres", "-tAc"),
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'",  # noqa: S608 - SAFE_NAME
            ],
            env,
            "psql",
        )
        if exists.strip():
            raise CommandError(f"Database {name} exists; drop it or pass another --target-db.")

        started = time.monotonic()
        _run([_tool("createdb"), *pg, name], env, "createdb")
        try:
            _run(
                [
                    _tool("pg_restore"),
                    *pg,
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "-d",
                    name,
                    dump,
                ],
                env,
                "pg_restore",
            )
            self.stdout.write(f"restored {dump} into {name} in {time.monotonic() - started:.1f} s")
            child_env = {**os.environ, "DATABASE_URL": _database_url(db, name)}
            manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
            _run([*manage, "migrate", "--check", "--noinput"], child_env, "migrate --check")
            self.stdout.write("migrations: the restored schema matches the code")
            out = _run(
                [*manage, "verify_letters", "--letters", letters], child_env, "verify_letters"
            )
            self.stdout.write(out.strip())
        finally:
            if keep:
                self.stdout.write(f"kept database {name}")
            else:
                try:
                    _run([_tool("dropdb"), *pg, "--if-exists", name], env, "dropdb")
                except CommandError as exc:
                    self.stderr.write(str(exc))
        self.stdout.write(f"restore drill passed in {time.monotonic() - started:.1f} s")
