"""Measure the case list and case page under concurrent clients.

Needs the bulk data: ``seed_demo --scale 20000`` into the benchmark database.
Starts gunicorn on 127.0.0.1 (production settings: DEBUG off), signs in the
demo team member by creating a session, then lets a pool of client threads
issue a bounded number of requests per scenario and prints p50/p95/p99.
A trivial signed-in view in the same run is the bare-Django baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ml_pipeline_bench \\
        python bench/cases_perf.py --clients 8 --requests 800
"""

import argparse
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.cases_perf_settings"


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    return env


def prepare(database_url: str, username: str, n_cases: int) -> tuple[str, list[int]]:
    """A signed-in session for ``username`` and a random sample of case ids."""
    os.environ.update(server_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from applicants.models import Case
    from applicants.views import SEARCH_SESSION_KEY

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "mikrolaan.backends.MunicipalityModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # CPR searches reach the list through the session, never the URL (?sq=).
    session[SEARCH_SESSION_KEY] = {"cpr1": "010160", "cpr2": "150375-3001"}
    session.create()
    total = Case.objects.count()
    if total < 1000:
        sys.exit(f"Only {total} cases; run: manage.py seed_demo --scale 20000")
    ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:n_cases])
    print(f"{total} cases in the database; {len(ids)} case pages in the sample")
    return session.session_key, ids


def start_server(database_url: str, port: int, workers: int) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "gunicorn", "mikrolaan.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--log-level", "warning", "--chdir", str(ROOT),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=server_env(database_url), cwd=ROOT)
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/konto/login/")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("gunicorn did not start")


def fetch(port: int, path: str, cookie: str) -> float:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
    return elapsed


def run(port, cookie, name, paths, clients, n) -> dict:
    for p in paths[:clients]:  # warm the workers
        fetch(port, p, cookie)
    chosen = [paths[i % len(paths)] for i in range(n)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        times = sorted(pool.map(lambda p: fetch(port, p, cookie), chosen))
    wall = time.perf_counter() - started
    q = statistics.quantiles(times, n=100)
    row = {
        "scenario": name,
        "n": n,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "max": times[-1] * 1000,
        "rps": n / wall,
    }
    print(
        f"{name:<34} n={n:<5} p50={row['p50']:6.1f} ms  p95={row['p95']:6.1f} ms  "
        f"p99={row['p99']:6.1f} ms  max={row['max']:6.1f} ms  {row['rps']:6.1f} req/s",
        flush=True,
    )
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ml_pipeline_bench"
        ),
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=800, help="per scenario")
    # One sync worker per core: the pages are CPU-bound and the client threads
    # share the same machine; more workers only queue inside the kernel.
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--user", default="medarbejder")
    args = parser.parse_args()

    cookie, ids = prepare(args.database_url, args.user, 500)
    proc = start_server(args.database_url, args.port, args.workers)
    rng = random.Random(1)
    pages = [f"/forloeb/?side={rng.randint(1, 400)}" for _ in range(200)]
    stages = ["courses", "running", "inquiry", "declined", "screening_1"]
    scenarios = [
        ("baseline: trivial signed-in view", ["/bench/baseline/"]),
        ("case list, page 1", ["/forloeb/"]),
        ("case list, random page of 400", pages),
        ("case list, stage filter", [f"/forloeb/?stage={s}" for s in stages]),
        ("case list, name search", ["/forloeb/?q=Jensen", "/forloeb/?q=anne+hansen"]),
        ("case list, CPR search", ["/forloeb/?sq=cpr1", "/forloeb/?sq=cpr2"]),
        ("case page (random cases)", [f"/forloeb/{pk}/" for pk in ids]),
        ("baseline again", ["/bench/baseline/"]),
    ]
    print(
        f"gunicorn: {args.workers} sync workers; {args.clients} concurrent clients; "
        f"{args.requests} requests per scenario; CPUs: {os.cpu_count()}"
    )
    try:
        for name, paths in scenarios:
            run(args.port, cookie, name, paths, args.clients, args.requests)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


if __name__ == "__main__":
    main()
