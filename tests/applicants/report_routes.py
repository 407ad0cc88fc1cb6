"""The reports' rows of the permission matrix (see tests/routes.py): the
team lead sees them; the team sees its waiting forms; caseworkers see the
information page; mentors and citizens see none of it."""

from mikrolaan.roles import Role
from tests.factories import ProgrammeFactory, UserFactory, municipality
from tests.routes import LEAD, STAFF, Route

STAFF_AND_CASEWORKER = STAFF | {Role.CASEWORKER}


def programme_kwargs(world):
    return {"pk": world.get("programme", lambda w: ProgrammeFactory()).pk}


def member_kwargs(world):
    from applicants.models import TeamMember

    def build(w):
        return TeamMember.objects.create(
            user=UserFactory(role=Role.TEAM_MEMBER), municipality=municipality()
        )

    return {"pk": world.get("team_member", build).pk}


def new_member_kwargs(world):
    from applicants.models import TeamMember

    member = TeamMember.objects.create(
        user=UserFactory(role=Role.TEAM_MEMBER), municipality=municipality()
    )
    return {"pk": member.pk}


ROUTES = [
    Route("reports:dashboard", allowed=LEAD),
    Route("reports:export", allowed=LEAD, kwargs={"report": "faser", "fmt": "csv"}),
    Route("reports:cohorts", allowed=LEAD),
    Route("reports:business_case", allowed=LEAD),
    Route(
        "reports:business_case",
        allowed=LEAD,
        method="post",
        data={
            "benefit_saved_per_month": "15.000",
            "support_cost_per_month": "15.000",
            "team_cost_per_year": "600.000",
            "horizon_years": "5",
        },
        ok_status=302,
    ),
    Route("reports:business_case_pdf", allowed=LEAD),
    Route("reports:setup_checklist", allowed=LEAD, kwargs=programme_kwargs),
    Route(
        "reports:setup_checklist",
        allowed=LEAD,
        kwargs=programme_kwargs,
        method="post",
        data={"item": "leadership", "done": "1"},
        ok_status=302,
    ),
    Route("reports:team", allowed=LEAD),
    Route("reports:team_member_create", allowed=LEAD),
    Route("reports:team_member_edit", allowed=LEAD, kwargs=member_kwargs),
    Route(
        "reports:team_member_remove",
        allowed=LEAD,
        kwargs=new_member_kwargs,
        method="post",
        ok_status=302,
    ),
    Route("reports:submissions", allowed=STAFF),
    Route("reports:caseworker_information", allowed=STAFF_AND_CASEWORKER),
]
