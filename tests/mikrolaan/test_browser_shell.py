"""The application shell in a real browser: every role's start page and the
shared pages pass axe-core, the skip link is the first thing the keyboard
reaches, and the language switch works."""

import pytest

from mikrolaan.roles import Role
from tests.browser import assert_accessible, login, screenshot
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_page_is_accessible(live_server, browser_page):
    browser_page.goto(f"{live_server.url}/konto/login/")
    assert_accessible(browser_page)
    browser_page.get_by_role("button", name="Log ind").click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.get_by_role("heading", name="Der er problemer").is_visible()
    screenshot(browser_page, "shell-login-errors")
    assert_accessible(browser_page)


@pytest.mark.parametrize("role", Role.values)
def test_start_page_of_each_role_is_accessible(live_server, browser_page, role):
    user = UserFactory(username=f"browser_{role}", first_name="Test", role=role)
    login(browser_page, live_server, user)
    assert browser_page.locator("h1").count() == 1
    screenshot(browser_page, f"shell-home-{role}")
    assert_accessible(browser_page)


def test_keyboard_reaches_skip_link_first_and_it_moves_focus_to_main(live_server, browser_page):
    user = UserFactory(username="keyboard", role=Role.TEAM_MEMBER)
    login(browser_page, live_server, user)
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Gå til indhold"
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("document.activeElement.id") == "main"


def test_settings_page_with_errors_is_accessible(live_server, browser_page):
    admin = UserFactory(username="browser_admin", role=Role.ADMINISTRATOR)
    login(browser_page, live_server, admin)
    browser_page.goto(f"{live_server.url}/indstillinger/")
    assert_accessible(browser_page)
    browser_page.get_by_label("CVR-nummer").fill("123")
    browser_page.get_by_role("button", name="Gem indstillinger").click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.get_by_text("Ugyldigt CVR-nummer").first.is_visible()
    screenshot(browser_page, "shell-settings-errors")
    assert_accessible(browser_page)


def test_language_switch_to_english(live_server, browser_page):
    user = UserFactory(username="english", role=Role.TEAM_MEMBER)
    login(browser_page, live_server, user)
    browser_page.get_by_label("Sprog").select_option("en")
    browser_page.get_by_role("button", name="Skift sprog").click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.evaluate("document.documentElement.lang") == "en"
