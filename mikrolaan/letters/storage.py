"""Where generated PDFs are kept: the ``letters`` alias of Django's STORAGES
setting. By default a folder outside MEDIA_ROOT (which DEBUG serves to
anyone); with ``S3_BUCKET`` set, an S3-compatible object store that every
web and worker host shares (see docs/deployment.md). Letters are read
through the storage API only (the download view checks permissions and
streams from the storage), never from a file system path."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

LETTERS_STORAGE_ALIAS = "letters"


def letters_root() -> Path:
    if settings.LETTERS_ROOT:
        return Path(settings.LETTERS_ROOT)
    return Path(settings.MEDIA_ROOT).parent / "private"


class LetterStorage(FileSystemStorage):
    """The default backend of the ``letters`` alias. Reads the location from
    settings at each use, so that a changed MEDIA_ROOT or LETTERS_ROOT
    (tests, workers) is honoured."""

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


class LettersStorageProxy(LazyObject):
    """``storages["letters"]``, looked up on first use. The model field
    holds this proxy (its storage callable runs once, at import), so a
    changed STORAGES setting (tests) takes effect without a migration."""

    def _setup(self):
        self._wrapped = storages[LETTERS_STORAGE_ALIAS]


letter_storage = LettersStorageProxy()


@receiver(setting_changed)
def _reset_letter_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "LETTERS_ROOT", "MEDIA_ROOT"):
        letter_storage._wrapped = empty


def get_letter_storage():
    return letter_storage
