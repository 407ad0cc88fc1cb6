"""The permission matrix: every URL pattern × every role.

Each app lists its URL patterns in ``tests/<app>/routes.py`` as ``ROUTES``;
``tests/test_url_permissions.py`` runs each row for the anonymous user, every
role and a signed-in user with no role, and checks that no URL pattern is
missing from the table. To add a page, add a row.

A row's ``kwargs`` (and ``data``) may be a callable taking the World: it
builds the objects the URL needs, owned so that the allowed roles may see
them (the world's citizen owns the case, the world's caseworker referred it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from mikrolaan.roles import Role

ALL = frozenset(Role.values)
# Any signed-in user, also one who has not been given a role yet.
SIGNED_IN = ALL | {"no_role"}
STAFF = frozenset({Role.TEAM_MEMBER, Role.TEAM_LEAD})
LEAD = frozenset({Role.TEAM_LEAD})
ADMIN = frozenset({Role.ADMINISTRATOR})


@dataclass
class Route:
    name: str
    allowed: frozenset = ALL
    kwargs: Callable | dict = field(default_factory=dict)
    method: str = "get"
    data: Callable | dict | None = None
    ok_status: int = 200
    public: bool = False  # anonymous users get ok_status too (login page, etc.)
    # Roles that are allowed but see 404 rather than 403 for an object that is
    # not theirs are tested in the app's own tests; here objects belong to them.

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}"


class World:
    """The users of the matrix, one per role, and a cache of built objects."""

    def __init__(self, users: dict[str, object]):
        self.users = users
        self._cache: dict[str, object] = {}

    def user(self, role) -> object:
        return self.users[str(role)]

    def get(self, key: str, build: Callable[["World"], object]):
        if key not in self._cache:
            self._cache[key] = build(self)
        return self._cache[key]


ROUTE_MODULES = [
    "tests.mikrolaan.routes",
    "tests.letters.routes",
    "tests.privacy.routes",
    "tests.applicants.routes",
    "tests.applicants.report_routes",
    "tests.screening.routes",
    "tests.courses.routes",
    "tests.loans.routes",
]


def all_routes() -> list[Route]:
    routes: list[Route] = []
    for name in ROUTE_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        routes.extend(module.ROUTES)
    return routes


# URL names that are not application pages and stay out of the matrix.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT_NAMES = {"set_language", "javascript-catalog"}
