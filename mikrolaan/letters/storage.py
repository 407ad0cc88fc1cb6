"""Where generated PDFs are kept: outside MEDIA_ROOT, which DEBUG serves to
anyone. Read through the download view only, which checks permissions."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def letters_root() -> Path:
    if settings.LETTERS_ROOT:
        return Path(settings.LETTERS_ROOT)
    return Path(settings.MEDIA_ROOT).parent / "private"


class LetterStorage(FileSystemStorage):
    """Reads the location from settings at each use, so that a changed
    MEDIA_ROOT or LETTERS_ROOT (tests, workers) is honoured."""

    @property
    def base_location(self):
        return str(letters_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def deconstruct(self):
        return ("mikrolaan.letters.storage.LetterStorage", (), {})


letter_storage = LetterStorage()


def get_letter_storage():
    return letter_storage
