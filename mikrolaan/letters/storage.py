"""Where generated PDFs are kept: the ``letters`` alias of Django's STORAGES
setting. By default a folder outside MEDIA_ROOT (which DEBUG serves to
anyone); with ``S3_BUCKET`` set, an S3-compatible object store that every
web and worker host shares (see docs/deployment.md). Letters are read
through the storage API only (the download view checks permissions and
streams from the storage), never from a file system path."""

from pathlib import Path

from django.conf import settings

from mikrolaan.private_storage import PrivateFileSystemStorage, StorageAlias

LETTERS_STORAGE_ALIAS = "letters"


def letters_root() -> Path:
    if settings.LETTERS_ROOT:
        return Path(settings.LETTERS_ROOT)
    return Path(settings.MEDIA_ROOT).parent / "private"


class LetterStorage(PrivateFileSystemStorage):
    """The default backend of the ``letters`` alias."""

    root = staticmethod(letters_root)


letter_storage = StorageAlias(LETTERS_STORAGE_ALIAS, ("STORAGES", "LETTERS_ROOT", "MEDIA_ROOT"))


def get_letter_storage():
    return letter_storage
