"""Browser tests: Playwright driving Debian's Chromium, and axe-core.

Use the ``browser_page`` fixture (from tests/conftest.py) with pytest-django's
``live_server`` and ``@pytest.mark.django_db(transaction=True,
serialized_rollback=True)`` — every transactional test must restore the
serialized database: one that does not lets its flush re-create the content
types, and the next test that restores them collides with those.

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_something(live_server, browser_page):
        login(browser_page, live_server, user)
        assert_accessible(browser_page)

Screenshots go to ``test-artifacts/`` (ignored by git, kept by CI).
"""

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core rules for WCAG 2.0/2.1 A and AA (EN 301 549), plus best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}

_axe = Axe()


def login(page, live_server, user, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("Brugernavn").fill(user.get_username())
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[dict]:
    results = _axe.run(page, options=AXE_OPTIONS)
    return results.response["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in violations
    ]
    assert violations == [], "axe-core finds:\n" + "\n".join(summary)


def allow_sync_django_in_tests() -> None:
    # Playwright's sync API runs an event loop in the test thread; Django's
    # ORM refuses to run there unless told this is deliberate.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
