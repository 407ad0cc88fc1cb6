"""The main menu groups the apps' entries into drop-downs, so a team lead's
menu fits on one line at a laptop's width; a group with one entry for the
user's roles is a plain link."""

from types import SimpleNamespace

from mikrolaan.navigation import nav_items
from mikrolaan.roles import Role


def _menu(*roles):
    request = SimpleNamespace(resolver_match=SimpleNamespace(view_name="courses:mentors"))
    return nav_items(request, frozenset(str(r) for r in roles))


def test_the_team_leads_menu_is_short_and_grouped():
    menu = _menu(Role.TEAM_LEAD)
    assert len(menu) <= 8
    groups = {str(item["label"]): item for item in menu if "children" in item}
    assert set(groups) == {"Kurser", "Lån", "Opsætning"}
    assert [str(c["label"]) for c in groups["Kurser"]["children"]] == [
        "Hold",
        "Mentorer",
        "Kursusmoduler",
    ]
    # The page being shown marks its entry and its group.
    assert groups["Kurser"]["active"] and not groups["Lån"]["active"]
    mentors = next(c for c in groups["Kurser"]["children"] if str(c["label"]) == "Mentorer")
    assert mentors["active"] and mentors["url"] == "/kurser/mentorer/"
    # The setup group comes last, after the everyday entries.
    assert menu[-1] is groups["Opsætning"]


def test_a_group_with_one_entry_for_the_role_is_a_plain_link():
    menu = _menu(Role.TEAM_MEMBER)
    labels = [str(item["label"]) for item in menu]
    # A team member has only the programmes of the setup group.
    assert "Programmer" in labels and "Opsætning" not in labels
    programmes = next(item for item in menu if str(item["label"]) == "Programmer")
    assert "children" not in programmes and programmes["url"].startswith("/")


def test_a_citizen_has_no_drop_downs():
    assert all("children" not in item for item in _menu(Role.CITIZEN))
