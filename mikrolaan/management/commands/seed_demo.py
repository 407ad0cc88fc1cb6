from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection

from mikrolaan.demo import seed_municipalities, seed_users
from mikrolaan.tenancy import unscoped


def _app_demo_modules():
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise


class Command(BaseCommand):
    help = (
        "Opret demodata: to kommuner med én bruger pr. rolle, brevhoveder og appsenes demoforløb. "
        "Kan køres flere gange uden at lave dubletter."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Tilføj N ekstra forløb fordelt på 98 kommuner med bulk-indsættelser "
            "(til målinger af ydeevne).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Gør intet, hvis databasen allerede har brugere (bruges af 'make run').",
        )

    def handle(self, *args, **options):
        # Demo data spans municipalities on purpose.
        with unscoped():
            self._handle(*args, **options)

    def _handle(self, *args, scale=0, if_empty=False, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("Databasen har allerede data; demodata springes over.")
            return
        rows = seed_users()
        seed_municipalities()
        modules = [m for m in _app_demo_modules() if m.__name__ != "mikrolaan.demo"]
        for module in modules:
            if hasattr(module, "seed_demo"):
                module.seed_demo(self.stdout)
        if scale:
            scalers = [m for m in modules if hasattr(m, "seed_scale")]
            if not scalers:
                self.stdout.write(self.style.WARNING("Ingen app leverer bulkdata endnu."))
            for module in scalers:
                module.seed_scale(scale, self.stdout)
            analyze()
        self.stdout.write(self.style.SUCCESS("Demobrugere (kun til demo!):"))
        width = max(len(r[0]) for r in rows)
        for username, role, password, municipality in rows:
            self.stdout.write(f"  {username.ljust(width)}  {password}  ({role}, {municipality})")


def analyze() -> None:
    """Fresh statistics after a bulk load: without them PostgreSQL plans the
    pages' queries for empty tables (nested loops over a million rows) until
    autovacuum gets round to it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
