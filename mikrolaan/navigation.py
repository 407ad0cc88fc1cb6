"""The main menu, per role. Apps register their entries in AppConfig.ready():

from mikrolaan.navigation import register_nav
register_nav("applicants:case_list", _("Forløb"), roles=STAFF_ROLES, order=10)
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    roles: frozenset
    order: int = 50


_ENTRIES: list[NavEntry] = []


def register_nav(url_name: str, label, *, roles, order: int = 50) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(url_name, label, frozenset(str(r) for r in roles), order))
    _ENTRIES.sort(key=lambda e: e.order)


def nav_items(request, roles: frozenset) -> list[dict]:
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    return [
        {"url": reverse(e.url_name), "label": e.label, "active": e.url_name == current}
        for e in _ENTRIES
        if e.roles & roles
    ]
