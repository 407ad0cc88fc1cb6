"""One table-driven test over every URL pattern and every role: anonymous →
login page, wrong role → 403, right role → 200. Rows live in
tests/<app>/routes.py (see tests/routes.py)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mikrolaan.roles import Role
from tests.factories import UserFactory
from tests.routes import EXEMPT_NAMES, EXEMPT_PREFIXES, World, all_routes

ROUTES = all_routes()
ROLES = [*Role.values, "no_role"]
# The logout view answers POST only; it is exercised in test_auth.
LOGOUT = "logout"


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


@pytest.fixture
def world(db):
    users = {role: UserFactory(username=f"matrix_{role}", role=role) for role in Role.values}
    users["no_role"] = UserFactory(username="matrix_no_role")
    return World(users)


def _resolve(value, world):
    return value(world) if callable(value) else value


def _request(client, route, world):
    url = reverse(route.name, kwargs=_resolve(route.kwargs, world))
    data = _resolve(route.data, world)
    return url, getattr(client, route.method)(url, data=data or {})


def test_every_url_pattern_is_in_the_matrix():
    listed = {r.name for r in ROUTES} | {LOGOUT}
    missing = sorted(
        name
        for name in set(_named_patterns())
        if not name.startswith(EXEMPT_PREFIXES) and name not in EXEMPT_NAMES and name not in listed
    )
    assert missing == [], f"add rows for these URL names to tests/<app>/routes.py: {missing}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_anonymous_is_sent_to_login(client, world, route):
    _url, response = _request(client, route, world)
    if route.public:
        assert response.status_code == route.ok_status
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public], ids=lambda r: r.id)
def test_role_gets_page_or_403(client, world, route, role):
    client.force_login(world.user(role))
    url, response = _request(client, route, world)
    expected = route.ok_status if role in route.allowed else 403
    assert response.status_code == expected, f"{role} on {url}"
