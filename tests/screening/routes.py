"""The screenings' rows of the permission matrix (see tests/routes.py).
Scores and notes are the team's: a caseworker and a citizen get 403 on every
screening page; the citizen answers a hearing on a page that shows only the
hearing's information."""

import datetime

from django.utils import timezone

from mikrolaan.roles import Role
from screening import services
from screening.models import Criterion, Hearing, HearingPurpose
from tests.applicants.routes import build_case
from tests.factories import CaseFactory, CitizenFactory
from tests.routes import LEAD, STAFF, Route

CITIZEN = frozenset({Role.CITIZEN})


def screening_case(world):
    def build(w):
        citizen = CitizenFactory(user=w.user(Role.CITIZEN))
        return CaseFactory(
            citizen=citizen,
            stage="screening_2",
            source="referral",
            referring_caseworker=w.user(Role.CASEWORKER),
        )

    return world.get("screening_case", build)


def screening_kwargs(world):
    case = screening_case(world)
    screening = world.get(
        "screening",
        lambda w: services.start_screening(actor=w.user(Role.TEAM_MEMBER), case=case),
    )
    return {"pk": case.pk, "screening_pk": screening.pk}


def third_screening_kwargs(world):
    def build(w):
        case = CaseFactory(citizen=CitizenFactory(), stage="screening_3")
        return services.start_screening(actor=w.user(Role.TEAM_MEMBER), case=case)

    screening = world.get("screening_3", build)
    return {"pk": screening.case_id, "screening_pk": screening.pk}


def hearing(world):
    def build(w):
        case = screening_case(w)
        return Hearing.objects.create(
            case=case,
            purpose=HearingPurpose.END_CASE,
            information="Du er ikke kommet til de sidste tre møder.",
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )

    return world.get("hearing", build)


def criterion_kwargs(world):
    def build(w):
        case = build_case(w)
        return Criterion.objects.create(
            municipality_id=case.municipality_id, number=1, title="Motivation"
        )

    return {"criterion_pk": world.get("criterion", build).pk}


ROUTES = [
    Route("screening:criteria", allowed=LEAD),
    Route("screening:criterion_create", allowed=LEAD),
    Route("screening:criterion_edit", allowed=LEAD, kwargs=criterion_kwargs),
    Route(
        "screening:criterion_edit",
        allowed=LEAD,
        kwargs=criterion_kwargs,
        method="post",
        data={"number": 1, "position": 0, "title": "Motivation og selvbillede", "active": "on"},
        ok_status=302,
    ),
    Route(
        "screening:start",
        allowed=STAFF,
        kwargs=lambda w: {"pk": screening_case(w).pk},
        method="post",
        ok_status=302,
    ),
    Route("screening:edit", allowed=STAFF, kwargs=screening_kwargs),
    Route("screening:preview", allowed=STAFF, kwargs=screening_kwargs),
    Route("screening:detail", allowed=STAFF, kwargs=screening_kwargs),
    Route(
        "screening:correct", allowed=STAFF, kwargs=screening_kwargs, method="post", ok_status=302
    ),
    Route("screening:assessment_pdf", allowed=STAFF, kwargs=third_screening_kwargs),
    Route(
        "screening:hearing_create",
        allowed=STAFF,
        kwargs=lambda w: {"pk": screening_case(w).pk},
    ),
    Route(
        "screening:hearing_exception",
        allowed=STAFF,
        kwargs=lambda w: {"pk": screening_case(w).pk},
    ),
    Route(
        "screening:hearing_comments",
        allowed=STAFF,
        kwargs=lambda w: {"pk": screening_case(w).pk, "hearing_pk": hearing(w).pk},
    ),
    Route(
        "screening:portal_hearing", allowed=CITIZEN, kwargs=lambda w: {"hearing_pk": hearing(w).pk}
    ),
]
