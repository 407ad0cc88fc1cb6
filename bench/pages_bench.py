"""What users get from the staff pages at national scale, measured with wrk.

One command seeds its own PostgreSQL database (``seed_demo --scale N``), starts
gunicorn with production settings (DJANGO_DEBUG=false, the project's own
database-connection defaults), signs the demo users in through the real login
form, finds the pages' URLs in the pages themselves, and then runs wrk
(-t2 -c8 by default) against each page in turn, alternating with a
hello-world view under the same gunicorn and the same middleware stack. For
every page it prints req/s, the share of hello-world, p95 and the ratio to
Django's admin changelist over the same cases, and it counts every response
that was not the real page (not 200, the login form, or the page's marker
missing): any such response fails the run.

    python bench/pages_bench.py              # national scale: 20,000 cases, 10 s a page
    python bench/pages_bench.py --quick      # 2,000 cases, 3 s a page: a smoke run

Exit status: 0 when every page meets the targets (>= 5 % of hello-world,
p95 <= 100 ms), 1 when a response was not the real page, 2 when a target was
missed. The method and the figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "wrk_page.lua"
PASSWORD = "mikrolaan-demo"  # noqa: S105 - the documented demo password
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ml_bench_national"

# Targets of the staff pages (SPEC §13; issue "speed at national scale").
MIN_SHARE = 0.05
MAX_P95_MS = 100.0


def server_env(database_url: str) -> dict:
    """Production mode. Only what a local run without TLS needs differs from
    a real deployment: no HTTPS redirect. Connection reuse is left to the
    project's production defaults: they are part of what is measured."""
    env = dict(os.environ)
    for name in ("DJANGO_CONN_MAX_AGE", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str, quiet: bool = True) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    if not quiet:
        print(result.stdout.rstrip(), flush=True)
    return result.stdout


def database_ready(env: dict, scale: int) -> bool:
    """The benchmark's database exists, is migrated and holds the bulk cases."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from applicants.models import Case; print(Case._base_manager.count())"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    last = (out.stdout.strip().splitlines() or [""])[-1]  # after the shell's own notice
    return out.returncode == 0 and last.isdigit() and int(last) >= scale


def recreate_database(database_url: str) -> None:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    if not re.fullmatch(r"\w+", name):
        sys.exit(f"Unexpected database name {name!r}")
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare_database(args, env: dict) -> None:
    if not args.reseed and database_ready(env, args.scale):
        print(f"Database {args.database_url} already seeded (reuse; --reseed starts over).")
        manage(env, "migrate", "--noinput", "-v", "0")
    else:
        print(f"Seeding {args.scale} cases into a fresh {args.database_url} …", flush=True)
        started = time.perf_counter()
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo", "--scale", str(args.scale))
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
    manage(env, "compilemessages", "--ignore=.venv", "-v", "0")
    # Production serves hashed static files (a manifest); collecting and
    # compressing them takes a minute, so only when the project's own changed.
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    files = [f for f in (ROOT / "static").rglob("*") if f.is_file()]
    newest = max((f.stat().st_mtime for f in files), default=0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        manage(env, "collectstatic", "--noinput", "-v", "0")
    # Django's admin changelist over the same cases is the second yardstick:
    # the demo administrator may open it in the benchmark's database only.
    manage(
        env, "shell", "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.filter(username='admin')"
        ".update(is_staff=True, is_superuser=True)",
    )  # fmt: skip


DATA_SUMMARY = r"""
import datetime, json
from django.db import connection
from django.utils import timezone
from applicants.models import Case, Meeting
today = timezone.localdate()
tz = timezone.get_current_timezone()
monday = today - datetime.timedelta(days=today.weekday())
start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
end = start + datetime.timedelta(days=7)
week = Meeting._base_manager.filter(starts_at__gte=start, starts_at__lt=end)
week = week.exclude(attendance="cancelled")
per_staff = {}
for user_id in week.values_list("staff", flat=True):
    if user_id is not None:
        per_staff[user_id] = per_staff.get(user_id, 0) + 1
n_mun = 1
for table in ("mikrolaan_municipality",):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [table])
        if cursor.fetchone()[0]:
            cursor.execute(f"SELECT count(*) FROM {table}")
            n_mun = cursor.fetchone()[0]
counts = sorted(per_staff.values())
print(json.dumps({
    "cases": Case._base_manager.count(),
    "meetings": Meeting._base_manager.count(),
    "municipalities": n_mun,
    "week_meetings": week.count(),
    "staff_with_meetings": len(counts),
    "meetings_per_staff_median": counts[len(counts) // 2] if counts else 0,
    "meetings_per_staff_max": counts[-1] if counts else 0,
}))
"""


# --- HTTP: a real login and the pages' URLs ------------------------------------


@dataclass
class Session:
    cookies: dict = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def request(port, method, path, session: Session, body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1"}
    if session.cookies:
        headers["Cookie"] = session.header()
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    for value in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(value).items():
            session.cookies[name] = morsel.value
    conn.close()
    return response.status, response.headers, text


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        sys.exit("No CSRF token in the form")
    return match.group(1)


def login(port: int, username: str) -> Session:
    """Sign in through the login form, as a browser does."""
    session = Session()
    _s, _h, html = request(port, "GET", "/konto/login/", session)
    status, _h, _body = request(
        port, "POST", "/konto/login/", session,
        {"csrfmiddlewaretoken": csrf_token(html), "username": username,
         "password": PASSWORD, "next": "/"},
    )  # fmt: skip
    if status != 302 or "sessionid" not in session.cookies:
        sys.exit(f"Login as {username} failed (HTTP {status}); is the demo data seeded?")
    return session


def must_get(port, path, session) -> str:
    status, _h, html = request(port, "GET", path, session)
    if status != 200 or 'name="password"' in html:
        sys.exit(f"GET {path}: HTTP {status}, not the page")
    return html


@dataclass
class Scenario:
    name: str
    paths: list[str]
    session: Session | None
    marker: str
    staff_page: bool = True  # held to the targets
    result: dict = field(default_factory=dict)


def discover(port: int, sessions: dict, deep_page: int) -> list[Scenario]:
    """The pages' URLs, found in the pages: case ids, the deep page, a name and
    a CPR that exist in the team member's municipality."""
    team = sessions["medarbejder"]
    first = must_get(port, "/forloeb/", team)
    match = re.search(r"Side 1 af (\d+)", first)
    n_pages = int(match.group(1)) if match else 1
    deep = min(deep_page, n_pages)
    ids = re.findall(r'<a href="/forloeb/(\d+)/">', first)
    ids += re.findall(r'<a href="/forloeb/(\d+)/">', must_get(port, f"/forloeb/?side={deep}", team))
    if not ids:
        sys.exit("No cases on the case list; is the demo data seeded?")
    ids = list(dict.fromkeys(ids))
    case_page = must_get(port, f"/forloeb/{ids[0]}/", team)
    cpr = re.search(r'data-testid="cpr">(\d{6})-\d{4}<', case_page)
    name = re.search(r"<h1>\s*\S+\s+(\S+)", case_page)
    if not (cpr and name):
        sys.exit("Could not read the citizen's name and CPR from the case page")
    # A CPR search goes through the session (never the URL): post it, follow the token.
    html = must_get(port, "/forloeb/", team)
    status, headers, _b = request(
        port, "POST", "/forloeb/", team,
        {"csrfmiddlewaretoken": csrf_token(html), "q": cpr.group(1)},
    )  # fmt: skip
    cpr_path = (
        urlsplit(headers.get("Location", "")).path
        + "?"
        + urlsplit(headers.get("Location", "")).query
    )
    if status != 302 or "sq=" not in cpr_path:
        sys.exit(f"The CPR search did not redirect to a session token (HTTP {status})")
    print(
        f"Case list: {n_pages} pages for the team member; deep page {deep}; "
        f"{len(ids)} case pages in rotation; name search {name.group(1)!r}",
        flush=True,
    )
    case_list = 'role="search"'
    lead = sessions["teamleder"]
    # Paid-out loans (a 120-instalment plan each), found on the case pages.
    loans = []
    for pk in ids[:200]:
        page = must_get(port, f"/forloeb/{pk}/", team)
        loans += [m for m in re.findall(r'href="/laan/(\d+)/"', page) if m not in loans]
        if len(loans) >= 10:
            break
    loan_paths = []
    for pk in loans:
        if "plan-table" in must_get(port, f"/laan/{pk}/", team):
            loan_paths.append(f"/laan/{pk}/")
    print(f"Loan pages with a plan in rotation: {len(loan_paths)}", flush=True)
    loan_scenarios = (
        [
            Scenario(
                "loan page, 120 instalments", loan_paths, team, 'class="table table-sm plan-table"'
            )
        ]
        if loan_paths
        else []
    )
    # The repayment: the same loans' repayment pages, and the loan book.
    repayment_paths = [p.replace("/laan/", "/laan/tilbagebetaling/") for p in loan_paths]
    if repayment_paths:
        loan_scenarios.append(
            Scenario("repayment page, 120 instalments", repayment_paths, team, 'id="plan-heading"')
        )
    loan_scenarios.append(
        Scenario("loan book", ["/laan/portefoelje/"], team, 'data-testid="par30"')
    )
    return [
        *loan_scenarios,
        Scenario("case list, page 1", ["/forloeb/"], team, case_list),
        Scenario("case list, stage filter", ["/forloeb/?stage=courses"], team, case_list),
        Scenario(f"case list, page {deep}", [f"/forloeb/?side={deep}"], team, case_list),
        Scenario("case list, name search", [f"/forloeb/?q={name.group(1)}"], team, case_list),
        Scenario("case list, CPR search", [cpr_path], team, case_list),
        Scenario("case page", [f"/forloeb/{pk}/" for pk in ids], team, 'data-testid="cpr"'),
        Scenario("start page, team member", ["/"], team, 'id="meetings-heading"'),
        Scenario("start page, team lead", ["/"], sessions["teamleder"], 'id="meetings-heading"'),
        Scenario("start page, whole team", ["/?vis=team"], team, 'id="meetings-heading"'),
        Scenario(
            "start page, caseworker", ["/"], sessions["sagsbehandler"], 'href="/forloeb/henvis/"'
        ),
        Scenario("citizen portal", ["/"], sessions["borger"], 'id="stage-heading"'),
        Scenario("reports, dashboard", ["/rapporter/"], lead, 'id="stages-heading"'),
        Scenario("reports, timeline", ["/rapporter/tidslinje/"], lead, 'id="plan-heading"'),
        Scenario(
            "reports, business case", ["/rapporter/business-case/"], lead, 'id="result-heading"'
        ),
        Scenario(
            "admin changelist",
            ["/admin/applicants/case/"],
            sessions["admin"],
            'id="result_list"',
            staff_page=False,
        ),
    ]


# --- gunicorn and wrk --------------------------------------------------------------


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "gunicorn", "bench.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--log-level", "warning", "--chdir", str(ROOT),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    for _ in range(150):
        try:
            status, _h, _b = request(port, "GET", "/__hello__/", Session())
            if status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            sys.exit("gunicorn exited at start-up")
        time.sleep(0.2)
    stop_server(proc)
    sys.exit("gunicorn did not start")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def run_wrk(args, scenario_paths, session, marker, duration) -> dict:
    cmd = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
        "--timeout", "10s", "-s", str(LUA),
    ]  # fmt: skip
    if session is not None:
        cmd += ["-H", f"Cookie: {session.header()}"]
    cmd += [f"http://127.0.0.1:{args.port}{scenario_paths[0]}", "--", marker, *scenario_paths]
    out = subprocess.run(cmd, capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        sys.exit(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    r = json.loads(line[4:])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["p95"] = r["p95_us"] / 1000
    # wrk stops with requests still queued in gunicorn; let them finish, so
    # that the next run does not start behind them.
    time.sleep(min(10.0, 0.2 + 1.5 * r["p99_us"] / 1e6))
    return r


class LoadSampler(threading.Thread):
    """The 1-minute load average, once a second, while the benchmark runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(1.0):
            self.samples.append(loadavg()[0])


def loadavg() -> tuple[float, float, float]:
    a, b, c = Path("/proc/loadavg").read_text().split()[:3]
    return float(a), float(b), float(c)


def git_commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


# --- the run -----------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--scale", type=int, default=20000, help="cases to seed (20000)")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--hello-duration", type=int, default=5, help="seconds per hello (5)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--deep-page", type=int, default=360, help="the deep page (360)")
    parser.add_argument("--only", default="", help="run only pages whose name contains this")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 2,000 cases, 3 s a page, 2 s hello"
    )
    args = parser.parse_args()
    if args.quick:
        args.scale, args.duration, args.hello_duration = 2000, 3, 2
        if args.database_url == DEFAULT_DB:
            args.database_url = DEFAULT_DB + "_quick"
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: sudo apt-get install wrk")

    env = server_env(args.database_url)
    prepare_database(args, env)
    data = json.loads(manage(env, "shell", "-c", DATA_SUMMARY).strip().splitlines()[-1])
    proc = start_server(env, args.port, args.workers)
    try:
        sessions = {
            u: login(args.port, u)
            for u in ("medarbejder", "teamleder", "sagsbehandler", "borger", "admin")
        }
        scenarios = discover(args.port, sessions, args.deep_page)
        if args.only:
            scenarios = [s for s in scenarios if args.only in s.name]
        for s in scenarios:  # warm both workers: templates, translations, connections
            for path in s.paths[:4] * args.workers:
                request(args.port, "GET", path, s.session)
        hello = Scenario("hello-world", ["/__hello__/"], None, "Hello", staff_page=False)
        bare = Scenario("hello-world, no middleware", ["/__bare__/"], None, "Hello", False)
        load_before = loadavg()
        sampler = LoadSampler()
        sampler.start()
        started = datetime.datetime.now().astimezone()
        bare.result = run_wrk(args, bare.paths, None, bare.marker, args.hello_duration)
        hellos = [run_wrk(args, hello.paths, None, hello.marker, args.hello_duration)]
        for s in scenarios:
            s.result = run_wrk(args, s.paths, s.session, s.marker, args.duration)
            hellos.append(run_wrk(args, hello.paths, None, hello.marker, args.hello_duration))
            # The yardstick is the hello-world run on either side of the page.
            s.result["hello_rps"] = (hellos[-2]["rps"] + hellos[-1]["rps"]) / 2
            print(
                f"  {s.name:<30} {s.result['rps']:8.1f} req/s  p95 {s.result['p95']:7.1f} ms"
                f"   (hello {s.result['hello_rps']:.0f} req/s)",
                flush=True,
            )
        sampler.stop.set()
        load_after = loadavg()
    finally:
        stop_server(proc)
    return report(args, data, scenarios, hellos, bare, started, load_before, load_after, sampler)


def report(args, data, scenarios, hellos, bare, started, load_before, load_after, sampler) -> int:
    hello_rps = statistics.mean(h["rps"] for h in hellos)
    hello_p95 = statistics.mean(h["p95"] for h in hellos)
    admin = next((s for s in scenarios if s.name == "admin changelist"), None)
    print()
    print(
        f"Run {started:%Y-%m-%d %H:%M %Z}, commit {git_commit()}, {os.cpu_count()} CPUs; "
        f"gunicorn {args.workers} sync workers; wrk -t{args.threads} -c{args.connections}, "
        f"{args.duration} s a page, {args.hello_duration} s hello-world between pages"
    )
    print(
        f"Data: {data['cases']} cases in {data['municipalities']} municipalities, "
        f"{data['meetings']} meetings; this week {data['week_meetings']} meetings, "
        f"per staff member median {data['meetings_per_staff_median']}, "
        f"max {data['meetings_per_staff_max']} ({data['staff_with_meetings']} staff)"
    )
    during = sampler.samples or [load_after[0]]
    print(
        f"Load average (1/5/15 min) before {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f}; 1-min during: mean {statistics.mean(during):.2f}, "
        f"max {max(during):.2f}"
    )
    print(
        f"Hello-world (project middleware): {hello_rps:.0f} req/s (runs "
        f"{min(h['rps'] for h in hellos):.0f}–{max(h['rps'] for h in hellos):.0f}), "
        f"p95 {hello_p95:.1f} ms; without middleware: {bare.result['rps']:.0f} req/s, "
        f"p95 {bare.result['p95']:.1f} ms"
    )
    print()
    header = (
        f"{'page':<30} {'req/s':>8} {'of hello':>9} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'× admin':>8} {'requests':>9} {'not page':>9}  target"
    )
    print(header)
    print("-" * len(header))
    failed_page = missed = False
    for s in scenarios:
        r = s.result
        share = r["rps"] / r["hello_rps"]
        vs_admin = r["rps"] / admin.result["rps"] if admin and admin.result else float("nan")
        bad = r["bad"] + r["socket_errors"]
        failed_page |= bad > 0
        ok = share >= MIN_SHARE and r["p95"] <= MAX_P95_MS
        verdict = ("ok" if ok else "MISSED") if s.staff_page else "(yardstick)"
        missed |= s.staff_page and not ok
        print(
            f"{s.name:<30} {r['rps']:8.1f} {share:8.1%} {r['p50_us'] / 1000:7.1f} "
            f"{r['p95']:7.1f} {r['p99_us'] / 1000:7.1f} {vs_admin:8.2f} {r['requests']:9d} "
            f"{bad:9d}  {verdict}" + (f"  ({r['why']})" if r["bad"] else "")
        )
    print()
    print(
        f"Targets: every staff page >= {MIN_SHARE:.0%} of hello-world and p95 <= "
        f"{MAX_P95_MS:.0f} ms. 'of hello' compares with the hello-world runs just before "
        "and after the page."
    )
    if failed_page:
        print("FAILED: some responses were not the real page (see 'not page').")
        return 1
    if missed:
        print("Some pages missed the targets.")
        return 2
    print("Every staff page met the targets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
