"""Where the citizen's attachments are kept: the ``attachments`` alias of
Django's STORAGES setting. By default a folder beside the letters, outside
MEDIA_ROOT (which DEBUG serves to anyone); with ``S3_BUCKET`` the shared
object store. Files are read through the storage API only, by the download
view, which checks who asks and writes the access log."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ATTACHMENTS_STORAGE_ALIAS = "attachments"


def attachments_root() -> Path:
    return Path(settings.MEDIA_ROOT).parent / "private" / "attachments"


class AttachmentStorage(FileSystemStorage):
    """Reads its location at each use (tests change MEDIA_ROOT)."""

    @property
    def base_location(self):
        return str(attachments_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def deconstruct(self):
        return ("applicants.portal.storage.AttachmentStorage", (), {})


class AttachmentStorageProxy(LazyObject):
    def _setup(self):
        self._wrapped = storages[ATTACHMENTS_STORAGE_ALIAS]


attachment_storage = AttachmentStorageProxy()


def get_attachment_storage():
    return attachment_storage


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT"):
        attachment_storage._wrapped = empty
