"""Private file stores (letters, attachments): folders outside MEDIA_ROOT
(which DEBUG serves to anyone) by default, or the shared object store when
the deployment configures one. Files are read through the storage API only,
by views that check who asks and write the access log."""

import os

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder whose location is read from settings at each use (``root``,
    a callable), so that a changed MEDIA_ROOT (tests, workers) is honoured.
    No URL: nothing in it is served directly."""

    root = None  # a callable returning the folder's Path

    @property
    def base_location(self):
        return str(type(self).root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def deconstruct(self):
        return (f"{type(self).__module__}.{type(self).__qualname__}", (), {})


class StorageAlias(LazyObject):
    """``storages[alias]``, looked up on first use and again after a change
    of the settings named in ``reset_on``. A model field holds this proxy
    (its storage callable runs once, at import), so a changed STORAGES
    setting (tests) takes effect without a migration."""

    def __init__(self, alias: str, reset_on: tuple[str, ...]):
        self.__dict__["_alias"] = alias
        super().__init__()
        setting_changed.connect(self._reset, weak=False)
        self.__dict__["_reset_on"] = reset_on

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]

    def _reset(self, *, setting, **kwargs):
        if setting in self.__dict__["_reset_on"]:
            self._wrapped = empty
