from mikrolaan.roles import Role
from tests.routes import Route

ROUTES = [
    Route("loans:scheme_edit", allowed=frozenset({Role.TEAM_LEAD, Role.ADMINISTRATOR})),
]
