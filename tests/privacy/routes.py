"""Data protection's rows of the permission matrix (see tests/routes.py)."""

from mikrolaan.roles import Role
from tests.applicants.routes import build_case
from tests.routes import ADMIN, LEAD, Route

OVERSIGHT = LEAD | ADMIN
CITIZEN = frozenset({Role.CITIZEN})


def citizen_kwargs(world):
    return {"pk": world.get("case", build_case).citizen_id}


ROUTES = [
    Route("privacy:access_log", allowed=OVERSIGHT),
    Route("privacy:access_log_export", allowed=OVERSIGHT),
    Route("privacy:retention_report", allowed=OVERSIGHT),
    # The matrix citizen owns the case: their own page lists reads of their data.
    Route("privacy:my_access_log", allowed=CITIZEN, kwargs=lambda w: (build_case_for(w), {})[1]),
    Route("privacy:subject_export", allowed=LEAD, kwargs=citizen_kwargs, method="post"),
]


def build_case_for(world):
    return world.get("case", build_case)
