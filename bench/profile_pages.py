"""Where a page's time goes, inside one process: SQL, template, the rest.

Runs each page through Django's test client under production settings
against the benchmark's database (run bench/pages_bench.py first to seed it)
and prints, per page, the mean time of a request and how much of it was SQL
(time in the database driver), CPU time of this process and of the
PostgreSQL server process serving it (when the database runs on this
machine), template rendering (less the SQL it caused) and everything else
(middleware, view, selectors). With --cprofile PAGE it prints the top
functions of that page by cumulative and by own time.

On a shared machine every column is inflated by the neighbours, the CPU
column least. "CPU min" is the steadiest figure: the requests run in batches
of ten, and it is the CPU time per request of the quickest batch — the
neighbours can only make a batch slower, never quicker, so comparing two
versions of a page by it is fair even when the load changes between runs.

    python bench/profile_pages.py                      # every page, 30 requests each
    python bench/profile_pages.py --cprofile "case list, page 1"
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages_bench import DEFAULT_DB, server_env  # noqa: E402

BATCH = 10


class Timers:
    def __init__(self):
        self.sql = 0.0
        self.queries = 0
        self.template = 0.0
        self.template_sql = 0.0
        self.depth = 0
        self.by_statement: dict[str, list[float]] = {}

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.sql += elapsed
            self.queries += 1
            self.by_statement.setdefault(" ".join(sql.split())[:150], []).append(elapsed)
            if self.depth:
                self.template_sql += elapsed


def install_template_timer(timers: Timers) -> None:
    from django.template.backends.django import Template

    render = Template.render

    def timed(self, context=None, request=None):
        timers.depth += 1
        started = time.perf_counter()
        try:
            return render(self, context, request)
        finally:
            timers.depth -= 1
            if not timers.depth:
                timers.template += time.perf_counter() - started

    Template.render = timed


def database_backend_cpu(connection):
    """A function returning the CPU seconds the PostgreSQL server process
    serving this connection has used so far (read from /proc: the database
    must run on this machine; NaN otherwise). Its work per request — parsing,
    planning, executing — shares the cores with the application's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    return cpu


def pages(client_for) -> dict:
    """The benchmark's pages, their URLs found the way the benchmark finds them."""
    team = client_for("medarbejder")
    lead = client_for("teamleder")
    first = team.get("/forloeb/").content.decode()
    n_pages = int((re.search(r"Side 1 af (\d+)", first) or [0, 1])[1])
    ids = re.findall(r'<a href="/forloeb/(\d+)/">', first)
    case_page = team.get(f"/forloeb/{ids[0]}/").content.decode()
    cpr = re.search(r'data-testid="cpr">(\d{6})-', case_page)[1]
    name = re.search(r"<h1>\s*\S+\s+(\S+)", case_page)[1]
    cpr_url = team.post("/forloeb/", {"q": cpr})["Location"]
    # Paid-out loans with a plan (120 instalments each), found on the case pages.
    loans = []
    for pk in ids:
        page = team.get(f"/forloeb/{pk}/").content.decode()
        loans += [m for m in re.findall(r'href="/laan/(\d+)/"', page) if m not in loans]
        if len(loans) >= 10:
            break
    loan_paths = [
        f"/laan/{pk}/" for pk in loans if "plan-table" in team.get(f"/laan/{pk}/").content.decode()
    ]
    loan_pages = {}
    if loan_paths:
        loan_pages["loan page, 120 instalments"] = (team, loan_paths)
        loan_pages["repayment page, 120 instalments"] = (
            team,
            [p.replace("/laan/", "/laan/tilbagebetaling/") for p in loan_paths],
        )
    loan_pages["loan book"] = (team, ["/laan/portefoelje/"])
    return {
        "case list, page 1": (team, ["/forloeb/"]),
        "case list, stage filter": (team, ["/forloeb/?stage=courses"]),
        "case list, deep page": (team, [f"/forloeb/?side={min(360, n_pages)}"]),
        "case list, name search": (team, [f"/forloeb/?q={name}"]),
        "case list, CPR search": (team, [cpr_url]),
        "case page": (team, [f"/forloeb/{pk}/" for pk in ids[:10]]),
        "start page, team member": (team, ["/"]),
        "start page, team lead": (lead, ["/"]),
        "start page, whole team": (team, ["/?vis=team"]),
        "start page, caseworker": (client_for("sagsbehandler"), ["/"]),
        "reports, dashboard": (lead, ["/rapporter/"]),
        "reports, timeline": (lead, ["/rapporter/tidslinje/"]),
        "reports, business case": (lead, ["/rapporter/business-case/"]),
        "citizen portal": (client_for("borger"), ["/"]),
        **loan_pages,
        "admin changelist": (client_for("admin"), ["/admin/applicants/case/"]),
        "hello-world": (team, ["/__hello__/"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--requests", type=int, default=30, help="per page (30)")
    parser.add_argument("--cprofile", default="", help="profile the page with this name")
    parser.add_argument(
        "--match", default="", help="with --cprofile: only functions whose file matches this"
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--queries", action="store_true", help="print each statement's mean time per request"
    )
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    args = parser.parse_args()
    os.environ.update(server_env(args.database_url))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    def client_for(username):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model()._base_manager.get(username=username))
        return client

    timers = Timers()
    install_template_timer(timers)
    chosen = pages(client_for)
    if args.cprofile:
        chosen = {args.cprofile: chosen[args.cprofile]}
    elif args.only:
        chosen = {k: v for k, v in chosen.items() if args.only in k}
    print(
        f"{'page':<28} {'ms':>7} {'CPU ms':>7} {'CPU min':>7} {'PG CPU':>7} {'SQL ms':>7} "
        f"{'queries':>7} {'tmpl ms':>8} {'other ms':>8}"
    )
    with connection.execute_wrapper(timers.execute):
        for name, (client, urls) in chosen.items():
            for url in urls:  # warm: templates, translations, connection
                client.get(url)
            profiler = cProfile.Profile() if args.cprofile else None
            backend = database_backend_cpu(connection)
            pg_cpu = backend()
            timers.__init__()
            started, cpu = time.perf_counter(), time.process_time()
            batches, batch_started = [], cpu
            for i in range(args.requests):
                if profiler:
                    profiler.enable()
                response = client.get(urls[i % len(urls)])
                if profiler:
                    profiler.disable()
                assert response.status_code == 200, (name, response.status_code)
                if (i + 1) % BATCH == 0:
                    now = time.process_time()
                    batches.append((now - batch_started) / BATCH * 1000)
                    batch_started = now
            n = args.requests
            total = (time.perf_counter() - started) / n * 1000
            cpu = (time.process_time() - cpu) / n * 1000
            cpu_min = min(batches, default=cpu)
            pg_cpu = (backend() - pg_cpu) / n * 1000
            sql, tmpl = timers.sql / n * 1000, (timers.template - timers.template_sql) / n * 1000
            print(
                f"{name:<28} {total:7.1f} {cpu:7.1f} {cpu_min:7.1f} {pg_cpu:7.1f} {sql:7.1f} "
                f"{timers.queries / n:7.1f} {tmpl:8.1f} {total - sql - tmpl:8.1f}",
                flush=True,
            )
            if args.queries:
                ranked = sorted(timers.by_statement.items(), key=lambda item: -sum(item[1]))
                for statement, times in ranked:
                    print(f"  {sum(times) / n * 1000:6.2f} ms  {len(times) / n:4.1f}×  {statement}")
            if profiler:
                stats = pstats.Stats(profiler)
                restrict = [args.match, args.top] if args.match else [args.top]
                stats.sort_stats("cumulative").print_stats(*restrict)
                stats.sort_stats("tottime").print_stats(*restrict)


if __name__ == "__main__":
    main()
