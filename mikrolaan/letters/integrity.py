"""Checking the letter store against the database: every generated letter's
PDF must be in the store and hash to the SHA-256 recorded when it was made.
Used by ``manage.py verify_letters`` and the restore drill (docs/backup.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .models import Letter, LetterStatus
from .storage import get_letter_storage

CHUNK = 1024 * 1024


@dataclass
class LetterCheck:
    checked: int = 0
    ok: int = 0
    missing: list[tuple[int, str]] = field(default_factory=list)
    mismatched: list[tuple[int, str]] = field(default_factory=list)
    pending: int = 0
    failed: int = 0

    @property
    def problems(self) -> int:
        return len(self.missing) + len(self.mismatched)


def file_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_letters(*, storage=None, using: str = "default") -> LetterCheck:
    """Hash every generated letter's PDF in ``storage`` (default: the
    configured letter store) and compare it with the database."""
    storage = storage or get_letter_storage()
    result = LetterCheck()
    letters = Letter.objects.using(using)
    result.pending = letters.filter(status=LetterStatus.PENDING).count()
    result.failed = letters.filter(status=LetterStatus.FAILED).count()
    rows = (
        letters.filter(status=LetterStatus.GENERATED)
        .order_by("pk")
        .values_list("pk", "pdf", "sha256")
        .iterator(chunk_size=2000)
    )
    for pk, name, sha256 in rows:
        result.checked += 1
        try:
            actual = file_sha256(storage, name) if name else None
        except (FileNotFoundError, OSError):
            actual = None
        if actual is None:
            result.missing.append((pk, name))
        elif actual != sha256:
            result.mismatched.append((pk, name))
        else:
            result.ok += 1
    return result
