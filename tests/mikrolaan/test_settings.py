"""Settings come from the environment (SPEC §14). Each case runs in a fresh
interpreter, because settings are read once at import."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']),"
    " 'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL,"
    " 'debug': settings.DEBUG, 'email': settings.EMAIL_BACKEND, 'lang': settings.LANGUAGE_CODE}))"
)
SERVICE_VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests in this process
)


def _run(args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    env["DJANGO_SETTINGS_MODULE"] = "mikrolaan.settings"
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _probe(**env):
    result = _run(["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_environment_uses_sqlite_eager_celery_and_console_mail():
    conf = _probe()
    assert conf["engine"] == "django.db.backends.sqlite3"
    assert conf["name"].endswith("db.sqlite3")
    assert conf["eager"] is True
    assert conf["debug"] is True
    assert conf["email"] == "django.core.mail.backends.console.EmailBackend"
    assert conf["lang"] == "da"


def test_with_environment_uses_postgresql_and_redis():
    conf = _probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb",
        REDIS_URL="redis://127.0.0.1:6379/7",
    )
    assert conf["engine"] == "django.db.backends.postgresql"
    assert conf["name"] == "somedb"
    assert conf["eager"] is False
    assert conf["broker"] == "redis://127.0.0.1:6379/7"


def test_production_mode_fails_fast_without_secret_key():
    result = _run(["-c", PROBE], DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="mikrolaan.example.dk")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("hosts", ["mikrolaan.example.dk"])
def test_production_mode_passes_check_deploy_without_warnings(hosts):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x7!Kp2#vQ9zL@m4Rt8&wY1^bN6*cF3(hJ5)dG0_sA-eU+iO=lP~" * 2,
        DJANGO_ALLOWED_HOSTS=hosts,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
