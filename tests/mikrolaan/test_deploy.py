"""The example production files in deploy/ stay consistent with the
application: systemd units that run the venv's commands with the shared
environment file, an nginx site that proxies to gunicorn's socket and serves
no private files, and an environment file whose variables the README
documents. ``make check-deploy`` runs these tests; ``systemd-analyze
verify`` and ``nginx -t`` run too where they are installed."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_DIR = "/srv/mikrolaan/app"
VENV_BIN = f"{APP_DIR}/.venv/bin/"
ENV_FILE = "/etc/mikrolaan/mikrolaan.env"
UNITS = {
    "mikrolaan-gunicorn.service": ("gunicorn", "mikrolaan.wsgi"),
    "mikrolaan-celery-worker.service": ("celery", "-A mikrolaan worker"),
    "mikrolaan-celery-beat.service": ("celery", "-A mikrolaan beat"),
}


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / "systemd" / name)
    return parser


@pytest.mark.parametrize("name", sorted(UNITS))
def test_units_run_the_venv_commands_as_an_unprivileged_user(name):
    unit = _unit(name)
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    command, arguments = UNITS[name]
    exec_start = service["ExecStart"]
    assert exec_start.startswith(VENV_BIN + command + " "), exec_start
    assert arguments in exec_start
    assert service["WorkingDirectory"] == APP_DIR
    assert service["EnvironmentFile"] == ENV_FILE
    assert service["User"] not in ("", "root")
    assert service["Restart"] == "on-failure"
    assert service.get("NoNewPrivileges") == "true"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_nginx_proxies_to_the_gunicorn_socket_and_serves_no_private_files():
    site = (DEPLOY / "nginx" / "mikrolaan.conf").read_text()
    gunicorn = _unit("mikrolaan-gunicorn.service")["Service"]["ExecStart"]
    socket = re.search(r"--bind unix:(\S+)", gunicorn).group(1)
    assert f"server unix:{socket} " in site
    runtime = _unit("mikrolaan-gunicorn.service")["Service"]["RuntimeDirectory"]
    assert socket.startswith(f"/run/{runtime}/")
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "listen 443 ssl;" in site and "return 301 https://" in site
    # Only the static files are served from disk; media and letters never.
    aliases = re.findall(r"^\s*(?:alias|root)\s+(\S+);", site, flags=re.M)
    assert aliases == [f"{APP_DIR}/staticfiles/"]
    assert "/media" not in site and "private" not in site


def test_the_environment_file_example_is_production_and_documented():
    readme = (ROOT / "README.md").read_text()
    names = re.findall(r"^([A-Z][A-Z0-9_]+)=", (DEPLOY / "mikrolaan.env.example").read_text(), re.M)
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET"} <= set(
        names
    )
    assert [n for n in names if f"`{n}`" not in readme] == []
    assert "DJANGO_DEBUG=false" in (DEPLOY / "mikrolaan.env.example").read_text()
    assert "DJANGO_BEHIND_PROXY=true" in (DEPLOY / "mikrolaan.env.example").read_text()


def test_systemd_accepts_the_units(tmp_path):
    """systemd-analyze verify, with the install folder pointed at this
    checkout so that the venv commands it checks exist."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("no .venv with gunicorn in this checkout")
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text().replace(APP_DIR, str(ROOT))
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if any(n in line for n in UNITS)
    ]
    assert problems == []


def test_nginx_accepts_the_site(tmp_path):
    nginx = shutil.which("nginx")
    if nginx is None:
        pytest.skip("nginx is not installed")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=mikrolaan.test"),
            *("-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "mikrolaan.conf").read_text()
    site = site.replace("/etc/ssl/mikrolaan/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
