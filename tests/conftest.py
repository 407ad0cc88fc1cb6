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
from mikrolaan.tenancy import scoped_to, unscoped
from tests.factories import OTHER_CODE, UserFactory, municipality


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
def _fresh_content_types():
    """A transactional test flushes the database and content types come back
    with other ids; the process-wide ContentType cache would then hand a
    later test ids that no longer exist (a foreign-key error at teardown)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the case list's filter choices
    are cached per municipality id, and ids repeat between tests)."""
    from django.core.cache import cache

    cache.clear()
    yield


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


# A citizen of the other municipality, whose name must never show on a page
# of the home municipality (see tests/test_municipality_boundary.py).
OTHER_CITIZEN = {"first_name": "Bodil", "last_name": "Fremmedkommune", "cpr": "0202020202"}


def build_other_municipality():
    """The second municipality with a team member, a citizen, a case, its
    history and a meeting today: data that a query forgetting the boundary
    would show."""
    from django.utils import timezone

    from tests.factories import CaseFactory, CitizenFactory, MeetingFactory

    with unscoped():
        other = municipality(OTHER_CODE)
        staff = UserFactory(username="other_team_member", role=Role.TEAM_MEMBER, municipality=other)
        citizen = CitizenFactory(municipality=other, **OTHER_CITIZEN)
        case = CaseFactory(citizen=citizen, responsible=staff, case_number="740-1999-00001")
        case.transitions.create(actor=staff, transition="create", from_stage="", to_stage="inquiry")
        MeetingFactory(case=case, starts_at=timezone.now(), staff=[staff], attendance="unknown")
    return other


def _uses_db(request) -> str | None:
    names = set(request.fixturenames)
    if names & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return "transactional_db"
    if "db" in names or request.node.get_closest_marker("django_db"):
        return "db"
    return None


@pytest.fixture(autouse=True)
def _two_municipalities(request):
    """Every database test runs as if serving the home municipality (751),
    with a second municipality (740) and its data beside it: a query that
    forgets the boundary shows the other's rows and the test fails."""
    db_fixture = _uses_db(request)
    if db_fixture is None or request.node.get_closest_marker("bare_database"):
        yield
        return
    request.getfixturevalue(db_fixture)
    with unscoped():
        home = municipality()
        build_other_municipality()
    with scoped_to(home.pk):
        yield


@pytest.fixture
def home_municipality(db):
    return municipality()


@pytest.fixture
def other_municipality(db):
    return municipality(OTHER_CODE)


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


def pytest_collection_modifyitems(session, config, items):
    """Every transactional test restores the serialized database
    (``serialized_rollback=True``). One that does not lets its closing flush
    re-create the content types, and the next test that restores the
    serialized copy inserts them again and fails on their unique key."""
    missing = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        transactional = marker.kwargs.get("transaction") or "live_server" in getattr(
            item, "fixturenames", ()
        )
        if transactional and not marker.kwargs.get("serialized_rollback"):
            missing.append(item.nodeid)
    if missing:
        raise pytest.UsageError(
            "Transactional tests need serialized_rollback=True: " + ", ".join(missing[:5])
        )
