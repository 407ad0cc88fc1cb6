"""The main menu, per role. Apps register their entries in AppConfig.ready():

from mikrolaan.navigation import register_nav
register_nav("applicants:case_list", _("Forløb"), roles=STAFF_ROLES, order=10)
"""

from dataclasses import dataclass

from django.urls import get_script_prefix, reverse


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    roles: frozenset
    order: int = 50


_ENTRIES: list[NavEntry] = []
# (roles, script prefix) -> [(url_name, url, label)]: the menu is the same for
# every user with the same roles, so its reverse() calls run once per process.
_MENUS: dict[tuple, list[tuple]] = {}


def register_nav(url_name: str, label, *, roles, order: int = 50) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(url_name, label, frozenset(str(r) for r in roles), order))
    _ENTRIES.sort(key=lambda e: e.order)
    _MENUS.clear()


def _menu(roles: frozenset) -> list[tuple]:
    key = (roles, get_script_prefix())
    menu = _MENUS.get(key)
    if menu is None:
        menu = _MENUS[key] = [
            (e.url_name, reverse(e.url_name), e.label) for e in _ENTRIES if e.roles & roles
        ]
    return menu


def nav_items(request, roles: frozenset) -> list[dict]:
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    return [
        {"url": url, "label": label, "active": url_name == current}
        for url_name, url, label in _menu(frozenset(roles))
    ]
