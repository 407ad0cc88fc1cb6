from django.core.management.base import BaseCommand, CommandError

from mikrolaan.jobs import registered_jobs, run_daily_jobs


class Command(BaseCommand):
    help = "Run every registered daily job in this process (the cron entry point)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="run only these jobs")
        parser.add_argument("--list", action="store_true", help="list the jobs and stop")

    def handle(self, *args, **options):
        if options["list"]:
            for name in registered_jobs():
                self.stdout.write(name)
            return
        results = run_daily_jobs(only=options["only"])
        failed = [name for name, r in results.items() if not r["ok"]]
        for name, result in results.items():
            status = "ok" if result["ok"] else f"FAILED: {result['error']}"
            self.stdout.write(f"{name}: {status}")
        if failed:
            raise CommandError(f"{len(failed)} daily job(s) failed: {', '.join(failed)}")
