"""What a screening rests on besides meetings: sources other apps fill in.

The citizen portal (its person profile, business plan, budgets and
self-evaluation) and the courses app (attendance) register a source; the
screening form lists their items beside the case's meetings, and a record
keeps what was chosen as it stood then::

    from screening.basis import BasisItem, register_basis_source

    def submitted_forms(case):
        return [BasisItem(source="forms", id=f.pk, label=f.title, date=f.submitted_on)
                for f in FormSubmission.objects.filter(case=case, status="submitted")]

    register_basis_source("forms", _("Skemaer fra portalen"), submitted_forms)

A source runs a fixed number of queries per case. None is registered yet:
the portal's forms and the courses' attendance come in their own issues.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BasisItem:
    source: str
    id: int | str
    label: str
    date: datetime.date | None = None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "id": self.id,
            "label": self.label,
            "date": self.date.isoformat() if self.date else "",
        }


@dataclass(frozen=True)
class BasisSource:
    key: str
    label: str
    items: Callable  # (case) -> list[BasisItem]


_SOURCES: dict[str, BasisSource] = {}


def register_basis_source(key: str, label, items: Callable) -> None:
    _SOURCES[key] = BasisSource(key=key, label=label, items=items)


def unregister_basis_source(key: str) -> None:
    _SOURCES.pop(key, None)


def basis_sources() -> list[BasisSource]:
    return list(_SOURCES.values())


def available_items(case) -> list[BasisItem]:
    """Every registered source's items for the case."""
    return [item for source in _SOURCES.values() for item in source.items(case)]
