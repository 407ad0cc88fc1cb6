"""Where the citizen's attachments are kept: the ``attachments`` alias of
Django's STORAGES setting. By default a folder beside the letters, outside
MEDIA_ROOT (which DEBUG serves to anyone); with ``S3_BUCKET`` the shared
object store. Files are read through the storage API only, by the download
view, which checks who asks and writes the access log."""

from pathlib import Path

from django.conf import settings

from mikrolaan.private_storage import PrivateFileSystemStorage, StorageAlias

ATTACHMENTS_STORAGE_ALIAS = "attachments"


def attachments_root() -> Path:
    return Path(settings.MEDIA_ROOT).parent / "private" / "attachments"


class AttachmentStorage(PrivateFileSystemStorage):
    """The default backend of the ``attachments`` alias."""

    root = staticmethod(attachments_root)


attachment_storage = StorageAlias(ATTACHMENTS_STORAGE_ALIAS, ("STORAGES", "MEDIA_ROOT"))


def get_attachment_storage():
    return attachment_storage
