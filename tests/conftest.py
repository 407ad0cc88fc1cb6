"""Shared fixtures: one user per role (like healthchecks' alice, bob and
charlie), the service gates, and Celery in eager mode for unit tests."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from mikrolaan.celery import app as celery_app
from mikrolaan.roles import Role
from tests.factories import UserFactory


def require(available: bool, reason: str) -> None:
    """Skip a test whose service is missing — or fail it when CI demands services."""
    if available:
        return
    if settings.REQUIRE_SERVICES or os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Unit tests run tasks in-process; tests of the real worker switch back."""
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A fast hasher: the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, set up after (and so torn down before) the
    test database, so that no server thread holds a connection to it when it
    is dropped."""
    return live_server


@pytest.fixture
def browser_page():
    """A Chromium page (Danish, desktop size) for one test.

    Playwright runs per test on purpose: while its event loop runs, Django
    keeps database connections per context rather than per thread, so the
    loop must be stopped (and the test body's connections closed) before
    pytest-django flushes the database after the test."""
    require(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, allow_sync_django_in_tests

    allow_sync_django_in_tests()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        # Anything the Content-Security-Policy blocks (an inline script or
        # style someone added) fails the test that opened the page.
        blocked = []
        page.on(
            "console",
            lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        try:
            yield page
        finally:
            context.close()
            browser.close()
            connections.close_all()
        assert blocked == [], "The Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def team_member(db):
    return UserFactory(username="alice", first_name="Alice", role=Role.TEAM_MEMBER)


@pytest.fixture
def team_member2(db):
    return UserFactory(username="anders", first_name="Anders", role=Role.TEAM_MEMBER)


@pytest.fixture
def team_lead(db):
    return UserFactory(username="bob", first_name="Bob", role=Role.TEAM_LEAD)


@pytest.fixture
def caseworker(db):
    return UserFactory(username="charlie", first_name="Charlie", role=Role.CASEWORKER)


@pytest.fixture
def citizen_user(db):
    return UserFactory(username="dina", first_name="Dina", role=Role.CITIZEN)


@pytest.fixture
def mentor(db):
    return UserFactory(username="emil", first_name="Emil", role=Role.MENTOR)


@pytest.fixture
def administrator(db):
    return UserFactory(username="frida", first_name="Frida", role=Role.ADMINISTRATOR)


@pytest.fixture
def stranger(db):
    """Signed in, but with no role at all."""
    return UserFactory(username="gustav")
