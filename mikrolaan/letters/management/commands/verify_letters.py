"""Check every generated letter's PDF against its recorded SHA-256.

    python manage.py verify_letters                 # the configured letter store
    python manage.py verify_letters --letters DIR   # a copy on disk (a restored backup)

Exits with an error, naming the letters, if a PDF is missing or differs.
"""

from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError

from mikrolaan.letters.integrity import verify_letters


class Command(BaseCommand):
    help = "Verify every generated letter's PDF against its SHA-256 in the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--letters",
            metavar="DIR",
            help="a folder holding the letter store (e.g. a restored backup) instead of "
            "the configured store",
        )

    def handle(self, *args, letters=None, **options):
        storage = FileSystemStorage(location=letters) if letters else None
        result = verify_letters(storage=storage)
        for pk, name in result.missing:
            self.stderr.write(f"letter {pk}: missing {name or '(no file name)'}")
        for pk, name in result.mismatched:
            self.stderr.write(f"letter {pk}: SHA-256 differs: {name}")
        summary = (
            f"{result.checked} generated letters checked: {result.ok} ok, "
            f"{len(result.missing)} missing, {len(result.mismatched)} differ "
            f"({result.pending} pending, {result.failed} failed, not checked)"
        )
        if result.problems:
            raise CommandError(summary)
        self.stdout.write(summary)
