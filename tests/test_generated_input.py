"""No input gives a 500: every form in the permission matrix is posted,
as every role allowed to use it, with generated bad values in every field —
text where numbers belong, absurd dates, very long text, control characters,
look-alike digits, other municipalities' ids. A form error, a refusal or a
redirect are all fine; a server error is not."""

import pytest
from django.urls import reverse

from mikrolaan.roles import Role
from tests.factories import UserFactory
from tests.routes import World, all_routes

POST_ROUTES = [r for r in all_routes() if r.method == "post" and not r.public]

NASTY = [
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "١٢٣",  # Arabic-Indic digits
    "0000-00-00",
    "9999-12-31T23:59",
    "31.02.2026",
    '=HYPERLINK("x")',
    "<script>alert(1)</script>",
    "æøå ÆØÅ " * 400,
    "\u202e\u200b\ufeff",
    "a\tb\rc",
]


@pytest.fixture
def world(db):
    users = {role: UserFactory(username=f"fuzz_{role}", role=role) for role in Role.values}
    users["no_role"] = UserFactory(username="fuzz_no_role")
    return World(users)


def _value_lists(data: dict, nasty: str) -> dict:
    return {key: ([nasty] if isinstance(value, list) else nasty) for key, value in data.items()}


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda r: r.id)
def test_no_generated_input_gives_a_server_error(client, world, route):
    role = sorted(route.allowed)[0]
    kwargs = route.kwargs(world) if callable(route.kwargs) else route.kwargs
    data = (route.data(world) if callable(route.data) else route.data) or {}
    client.force_login(world.user(role))
    url = reverse(route.name, kwargs=kwargs)
    client.raise_request_exception = False
    for nasty in NASTY:
        # Every field at once, then each field alone with the rest valid.
        attempts = [_value_lists(data, nasty)] + [
            {**data, **_value_lists({key: value}, nasty)} for key, value in data.items()
        ]
        for attempt in attempts:
            response = client.post(url, attempt)
            assert response.status_code < 500, f"{route.id} as {role} with {attempt!r}"


GET_ROUTES = [r for r in all_routes() if r.method == "get" and not r.public]
QUERY_KEYS = ["q", "side", "stage", "responsible", "programme", "source", "vis", "sq"]


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda r: r.id)
def test_no_generated_query_string_gives_a_server_error(client, world, route):
    role = sorted(route.allowed)[0]
    kwargs = route.kwargs(world) if callable(route.kwargs) else route.kwargs
    client.force_login(world.user(role))
    url = reverse(route.name, kwargs=kwargs)
    client.raise_request_exception = False
    for nasty in NASTY:
        response = client.get(url, dict.fromkeys(QUERY_KEYS, nasty))
        assert response.status_code < 500, f"{route.id} as {role} with {nasty!r}"
