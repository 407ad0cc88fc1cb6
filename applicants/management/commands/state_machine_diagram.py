from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from applicants.diagram import markdown


class Command(BaseCommand):
    help = "Skriv docs/state-machine.md: forløbets faser som Mermaid-diagram, ud fra modellen."

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "state-machine.md"),
            help="Filen, der skrives ('-' skriver til stdout).",
        )

    def handle(self, *args, output, **options):
        with translation.override("da"):
            text = markdown()
        if output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"Skrev {output}")
