"""Letter rendering benchmark (a script, not a test).

python bench/letters_bench.py [--letters 200]
    Render one-page letters in this process; report seconds per letter and
    the ratio to a blank WeasyPrint page rendered in the same run (goal ≤ 3×).

python bench/letters_bench.py --celery 1000 [--workers 2]
    Push letters through Celery workers (Redis broker, PostgreSQL) started by
    this script; report letters per second (goal ≥ 8/s with 2 workers).
    Needs DATABASE_URL (a database of its own: it is flushed) and REDIS_URL.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mikrolaan.settings")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
if "DJANGO_LETTERS_ROOT" not in os.environ:
    os.environ["DJANGO_LETTERS_ROOT"] = tempfile.mkdtemp(prefix="letters-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

MEETING = {
    "meeting_kind": "2. personlige møde",
    "starts_at": "2026-12-01T10:00:00+01:00",
    "ends_at": "2026-12-01T10:45:00+01:00",
    "place": "Jobcentret, mødelokale Ærø",
    "staff": ["Søren Ørsted"],
    "notes": "Vi taler om din personprofil.",
}


def _sample_case():
    from applicants.models import Case, Citizen, Programme

    n = uuid.uuid4().int % 10**4
    citizen = Citizen.objects.create(
        first_name="Åse",
        last_name="Bæk",
        cpr=f"0101{n:06d}"[:10],
        street="Østergade 5",
        postcode="5970",
        city="Ærøskøbing",
        email="",
    )
    programme = Programme.objects.create(name="Benchmark", start_date=datetime.date(2026, 1, 5))
    return Case.objects.create(
        case_number=f"BENCH-{uuid.uuid4().hex[:8]}", citizen=citizen, programme=programme
    )


def bench_render(count: int) -> None:
    from django.conf import settings
    from weasyprint import HTML

    from mikrolaan.letters.rendering import render_letter_pdf
    from mikrolaan.letters.services import build_letter

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            case = _sample_case()
            letters = [
                build_letter(kind="meeting_invitation", case=case, context=MEETING)
                for _ in range(count)
            ]
            raise Rollback
    except Rollback:
        pass

    blank_html = "<html><body></body></html>"
    HTML(string=blank_html).write_pdf()  # warm up WeasyPrint itself
    first_start = time.perf_counter()
    render_letter_pdf(letters[0])  # the first letter pays for fonts and stylesheet
    first = time.perf_counter() - first_start

    letter_times, blank_times = [], []
    for letter in letters:
        start = time.perf_counter()
        render_letter_pdf(letter)
        letter_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        HTML(string=blank_html).write_pdf()
        blank_times.append(time.perf_counter() - start)

    per_letter = statistics.mean(letter_times)
    per_blank = statistics.mean(blank_times)
    print(f"letters rendered: {count} (one page each), first letter {first:.3f} s")
    print(
        f"per letter: mean {per_letter * 1000:.1f} ms, median "
        f"{statistics.median(letter_times) * 1000:.1f} ms, total {sum(letter_times):.2f} s"
    )
    print(f"blank page: mean {per_blank * 1000:.1f} ms")
    print(f"ratio letter / blank page: {per_letter / per_blank:.2f}x (goal <= 3x)")
    print(f"PDF variant: {settings.LETTERS_PDF_VARIANT or 'plain PDF'}, tagged")


def bench_celery(count: int, workers: int) -> None:
    from django.conf import settings

    from mikrolaan.celery import app
    from mikrolaan.letters import services
    from mikrolaan.letters.models import Letter, LetterStatus
    from mikrolaan.letters.tasks import generate_letter

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("--celery needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    created = time.perf_counter()
    original = services._enqueue
    services._enqueue = lambda letter_id: None  # queued below, on the bench queue
    try:
        case = _sample_case()
        ids = [
            services.request_letter(kind="meeting_invitation", case=case, context=MEETING).pk
            for _ in range(count)
        ]
    finally:
        services._enqueue = original
    print(f"requested {count} letters in {time.perf_counter() - created:.1f} s")

    queue = f"letters-bench-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    procs = []
    logs = []
    for i in range(workers):
        log = open(Path(tempfile.gettempdir()) / f"{queue}-{i}.log", "w")  # noqa: SIM115
        logs.append(log)
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "mikrolaan",
                    "worker",
                    "--pool=solo",
                    "-Q",
                    queue,
                    "-n",
                    f"{queue}-{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        names = {f"{queue}-{i}@" for i in range(workers)}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []
            up = {name for reply in replies for name in reply if name.split("@")[0] + "@" in names}
            if len(up) >= workers:
                break
        else:
            sys.exit("workers did not start")
        # The timing includes each worker's first render (WeasyPrint import, fonts).
        start = time.perf_counter()
        for letter_id in ids:
            generate_letter.apply_async(args=[letter_id], queue=queue)
        sent = time.perf_counter() - start
        while True:
            done = Letter.objects.filter(pk__in=ids, status=LetterStatus.GENERATED).count()
            failed = Letter.objects.filter(pk__in=ids, status=LetterStatus.FAILED).count()
            if done + failed >= count:
                break
            if any(p.poll() is not None for p in procs):
                sys.exit("a worker died")
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        for log in logs:
            log.close()
    print(f"enqueued {count} in {sent:.2f} s; {done} generated, {failed} failed")
    print(
        f"{workers} workers (solo pool, concurrency 1 each): {elapsed:.1f} s, "
        f"{count / elapsed:.1f} letters/s (goal >= 8/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--celery", type=int, metavar="N")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.celery:
        bench_celery(args.celery, args.workers)
    else:
        bench_render(args.letters)


if __name__ == "__main__":
    main()
