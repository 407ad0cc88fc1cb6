"""Broker and worker outages, measured with a real Redis and real workers (a
script, not a test).

python bench/outage.py [--redis-port 6390] [--database-url URL] [--letters 10]

Starts a private ``redis-server`` on its own port (never the shared 6379)
and uses a PostgreSQL database of its own, which it drops and creates again
(default ``postgres://postgres@127.0.0.1:5432/ml_outage``). Then:

1. Broker down. With Redis stopped, times web requests through Django's
   test client and the whole middleware stack: planning a meeting (one
   invitation letter) and a batch view that asks for ``--letters`` letters
   in one request; for comparison, Celery's default publish path
   (``generate_letter.delay``) per letter. Redis is started again and a
   worker and the sweep generate every letter left pending.
2. Worker killed. A worker whose render hangs (the render is patched to
   sleep first, so that the kill lands mid-render) claims a letter and is
   killed with SIGKILL; a second worker and ``celery beat`` with the
   project's schedule are running. Times from the kill until the letter is
   generated.

Needs ``redis-server``, ``redis-cli``, ``createdb`` and ``dropdb`` on PATH.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLOW_RENDER_SECONDS = 600


def slow_worker_main(argv: list[str]) -> None:
    """A Celery worker whose renders hang before they start: the claim is
    taken (and renewed) but no PDF comes."""
    import django

    django.setup()
    from mikrolaan.celery import app
    from mikrolaan.letters import rendering

    real = rendering.render_letter_pdf

    def hanging(letter, **kwargs):
        print(f"slow worker: rendering letter {letter.pk}, hanging first", flush=True)
        time.sleep(SLOW_RENDER_SECONDS)
        return real(letter, **kwargs)

    rendering.render_letter_pdf = hanging
    app.worker_main(["worker", *argv])


def _run(*cmd, check=True, **kwargs):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kwargs)


class Redis:
    def __init__(self, port: int, workdir: Path):
        self.port = port
        self.workdir = workdir

    def ping(self) -> bool:
        result = _run("redis-cli", "-p", str(self.port), "ping", check=False)
        return result.stdout.strip() == "PONG"

    def start(self):
        if self.ping():
            sys.exit(f"port {self.port} already has a Redis; pass another --redis-port")
        _run(
            *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--daemonize", "yes"),
            *("--dir", str(self.workdir), "--pidfile", str(self.workdir / "redis.pid")),
        )
        for _ in range(50):
            if self.ping():
                return
            time.sleep(0.1)
        sys.exit("redis-server did not start")

    def stop(self):
        _run("redis-cli", "-p", str(self.port), "shutdown", "nosave", check=False)
        for _ in range(50):
            if not self.ping():
                return
            time.sleep(0.1)


def _worker(name: str, log: Path, *, slow: bool = False) -> subprocess.Popen:
    args = [
        *("--pool=solo", "-n", f"{name}@%h", "-l", "info"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    if slow:
        cmd = [sys.executable, str(Path(__file__)), "--slow-worker", *args]
    else:
        cmd = [sys.executable, "-m", "celery", "-A", "mikrolaan", "worker", *args]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=dict(os.environ), stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def _wait_for_workers(app, names: set[str], timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        up = {n.split("@")[0] for reply in replies for n in reply}
        if names <= up:
            return
    sys.exit(f"workers {names} did not start")


def _stop(proc: subprocess.Popen):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until(predicate, timeout: float, step=0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ml_outage")
    parser.add_argument("--letters", type=int, default=10)
    args = parser.parse_args()
    if args.redis_port == 6379:
        sys.exit("use a Redis of your own, not the shared one on 6379")

    workdir = Path(tempfile.mkdtemp(prefix="outage-bench-"))
    db = urlparse(args.database_url)
    pg = ["-h", db.hostname or "127.0.0.1", "-p", str(db.port or 5432), "-U", db.username or ""]
    dbname = db.path.lstrip("/")
    _run("dropdb", *pg, "--if-exists", dbname)
    _run("createdb", *pg, dbname)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.outage_settings",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
            "DJANGO_LETTERS_ROOT": str(workdir / "letters"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "EMAIL_URL": "dummymail://",
            "DJANGO_LOG_LEVEL": "WARNING",
            # The sweep takes letters pending for 5 s (120 s in production),
            # so that part 1 need not wait two minutes.
            "LETTERS_SWEEP_AFTER_SECONDS": "5",
        }
    )
    redis = Redis(args.redis_port, workdir)
    procs: list[subprocess.Popen] = []
    try:
        redis.start()
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        broker_outage(redis, args.letters, workdir, procs)
        worker_killed(redis, workdir, procs)
    finally:
        for proc in procs:
            _stop(proc)
        redis.stop()
        from django.db import connections

        connections.close_all()
        _run("dropdb", *pg, "--if-exists", dbname, check=False)
        shutil.rmtree(workdir, ignore_errors=True)


def _fixtures():
    from django.test import Client

    from mikrolaan.roles import Role
    from tests.factories import CaseFactory, UserFactory

    staff = UserFactory(username="outage-staff", role=Role.TEAM_MEMBER)
    case = CaseFactory()
    client = Client()
    client.force_login(staff)
    return staff, case, client


def broker_outage(redis, count: int, workdir: Path, procs) -> None:
    from django.urls import reverse
    from django.utils import timezone

    from mikrolaan import broker
    from mikrolaan.celery import app
    from mikrolaan.letters import services
    from mikrolaan.letters.models import Letter, LetterStatus
    from mikrolaan.letters.tasks import generate_letter

    staff, case, client = _fixtures()
    starts = (timezone.localtime() + timezone.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    meeting = {"kind": "second", "starts_at": starts, "place": "Jobcentret", "staff": [staff.pk]}

    def plan_meeting():
        start = time.perf_counter()
        response = client.post(reverse("applicants:meeting_create", args=[case.pk]), meeting)
        assert response.status_code == 302, response.status_code
        return time.perf_counter() - start

    def batch():
        start = time.perf_counter()
        response = client.post(f"/bench/request-letters/{case.pk}/{count}/")
        assert response.status_code == 200, response.content
        return time.perf_counter() - start

    print("1. Broker down while letters are requested")
    plan_meeting()  # warm up: imports, templates, the broker connection
    up_one, up_batch = plan_meeting(), batch()
    print(f"   Redis up:   plan a meeting (1 letter) {up_one * 1000:.0f} ms; ", end="")
    print(f"{count} letters in one request {up_batch * 1000:.0f} ms")

    redis.stop()
    broker.reset()
    first = plan_meeting()
    again = plan_meeting()
    down_batch = batch()
    print(f"   Redis down: plan a meeting {first * 1000:.0f} ms (first try), ", end="")
    print(f"{again * 1000:.0f} ms (breaker open); ", end="")
    print(f"{count} letters in one request {down_batch * 1000:.0f} ms")
    broker.reset()
    cold = batch()
    print(f"   Redis down, breaker closed: {count} letters in one request {cold * 1000:.0f} ms")

    pending_ids = list(
        Letter.objects.filter(status=LetterStatus.PENDING).values_list("pk", flat=True)
    )
    # Celery's own publish path, as the letters engine used it before.
    timings = []
    for letter_id in pending_ids[:3]:
        start = time.perf_counter()
        try:
            generate_letter.delay(letter_id)
        except Exception as exc:
            error = type(exc).__name__
        timings.append(time.perf_counter() - start)
    print(
        "   for comparison, generate_letter.delay() with Redis down: "
        + ", ".join(f"{t * 1000:.0f} ms" for t in timings)
        + f" per letter ({error})"
    )

    # Redis back: the sweep queues what was left pending.
    redis.start()
    broker.reset()
    procs.append(_worker("outage-w0", workdir / "w0.log"))
    _wait_for_workers(app, {"outage-w0"})
    print(f"   {len(pending_ids)} letters pending; Redis started again, sweeping")
    time.sleep(5)  # LETTERS_SWEEP_AFTER_SECONDS
    start = time.perf_counter()
    queued = services.sweep_pending_letters()

    def all_generated():
        return not Letter.objects.filter(status=LetterStatus.PENDING).exists()

    ok = _wait_until(all_generated, 120)
    total = Letter.objects.count()
    generated = Letter.objects.filter(status=LetterStatus.GENERATED).count()
    print(
        f"   sweep queued {queued}; {generated} of {total} letters generated "
        f"{time.perf_counter() - start:.1f} s after the sweep" + ("" if ok else " (TIMED OUT)")
    )
    _stop(procs.pop())


def worker_killed(redis, workdir: Path, procs) -> None:
    from django.conf import settings

    from mikrolaan.celery import app
    from mikrolaan.letters import services
    from mikrolaan.letters.models import Letter, LetterStatus
    from mikrolaan.letters.registry import get_kind
    from tests.factories import CaseFactory

    print("2. Worker killed mid-render")
    beat = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "mikrolaan", "beat", "-l", "info"),
            *("-s", str(workdir / "beat-schedule")),
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=(workdir / "beat.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    procs.append(beat)
    slow = _worker("outage-slow", workdir / "slow.log", slow=True)
    procs.append(slow)
    _wait_for_workers(app, {"outage-slow"})
    letter = services.request_letter(
        kind="meeting_invitation",
        case=CaseFactory(),
        context=get_kind("meeting_invitation").sample_context,
    )

    def claimed():
        return Letter.objects.filter(pk=letter.pk).exclude(claim_token="").exists()

    if not _wait_until(claimed, 60):
        sys.exit("the slow worker did not claim the letter")
    claimed_at = Letter.objects.get(pk=letter.pk).claimed_at
    procs.append(_worker("outage-w2", workdir / "w2.log"))
    _wait_for_workers(app, {"outage-w2"})
    time.sleep(5)  # well into the hanging render
    last_renewal = Letter.objects.get(pk=letter.pk).claimed_at
    slow.send_signal(signal.SIGKILL)
    killed = time.perf_counter()
    slow.wait()
    print(f"   letter {letter.pk} claimed; worker killed (SIGKILL) mid-render")

    def generated():
        return Letter.objects.filter(pk=letter.pk, status=LetterStatus.GENERATED).exists()

    ok = _wait_until(generated, 300, step=0.5)
    elapsed = time.perf_counter() - killed
    letter.refresh_from_db()
    renewed = last_renewal != claimed_at
    print(
        f"   generated by the second worker {elapsed:.1f} s after the kill"
        + ("" if ok else " (TIMED OUT)")
        + f" (attempts {letter.attempts}; claim stale after "
        f"{settings.LETTERS_CLAIM_STALE_SECONDS} s, recovery every 30 s"
        + (", claim renewed by the hanging render" if renewed else "")
        + ")"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--slow-worker":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.outage_settings")
        slow_worker_main(sys.argv[2:])
    else:
        main()
