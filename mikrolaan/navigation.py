"""The main menu, per role. Apps register their entries in AppConfig.ready():

from mikrolaan.navigation import register_nav
register_nav("applicants:case_list", _("Forløb"), roles=STAFF_ROLES, order=10)
register_nav("courses:cohorts", _("Hold"), roles=STAFF_ROLES, order=40, group="courses")

An entry with a ``group`` goes into that group's drop-down menu (the groups
and their places are below), so the team lead's menu stays on one line. A
group that holds only one entry for the user's roles is shown as that entry's
plain link.
"""

from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

# The menu's drop-downs: key -> (label, order among the menu's entries).
GROUPS = {
    "courses": (_("Kurser"), 40),
    "loans": (_("Lån"), 75),
    "setup": (_("Opsætning"), 95),
}


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    roles: frozenset
    order: int = 50
    group: str = ""


_ENTRIES: list[NavEntry] = []
# (roles, script prefix) -> the menu as (url_name, url, label) links and
# (None, group label, [links]) drop-downs: the menu is the same for every user
# with the same roles, so its reverse() calls run once per process.
_MENUS: dict[tuple, list[tuple]] = {}


def register_nav(url_name: str, label, *, roles, order: int = 50, group: str = "") -> None:
    if group and group not in GROUPS:
        raise ValueError(f"Unknown menu group {group!r}; add it to GROUPS.")
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(url_name, label, frozenset(str(r) for r in roles), order, group))
    _ENTRIES.sort(key=lambda e: e.order)
    _MENUS.clear()


def _menu(roles: frozenset) -> list[tuple]:
    key = (roles, get_script_prefix())
    menu = _MENUS.get(key)
    if menu is None:
        visible = [e for e in _ENTRIES if e.roles & roles]
        sizes: dict[str, int] = {}
        for e in visible:
            sizes[e.group] = sizes.get(e.group, 0) + 1
        placed, groups = [], {}
        for e in visible:
            link = (e.url_name, reverse(e.url_name), e.label)
            if not e.group or sizes[e.group] == 1:
                placed.append((e.order, link))
            elif e.group in groups:
                groups[e.group].append(link)
            else:
                label, order = GROUPS[e.group]
                groups[e.group] = [link]
                placed.append((order, (None, label, groups[e.group])))
        placed.sort(key=lambda item: item[0])
        menu = _MENUS[key] = [item for _order, item in placed]
    return menu


def nav_items(request, roles: frozenset) -> list[dict]:
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    items = []
    for url_name, url_or_label, rest in _menu(frozenset(roles)):
        if url_name is None:
            children = [
                {"url": url, "label": label, "active": name == current} for name, url, label in rest
            ]
            items.append(
                {
                    "label": url_or_label,
                    "children": children,
                    "active": any(c["active"] for c in children),
                }
            )
        else:
            items.append({"url": url_or_label, "label": rest, "active": url_name == current})
    return items
