"""The pipeline's rows of the permission matrix (see tests/routes.py)."""

import datetime

from django.utils import timezone

from mikrolaan.roles import Role
from tests.factories import CaseFactory, CitizenFactory, MeetingFactory
from tests.routes import LEAD, STAFF, Route

CASEWORKER = frozenset({Role.CASEWORKER})
CITIZEN = frozenset({Role.CITIZEN})


def build_case(world):
    """A case owned by the world's citizen and referred by its caseworker."""
    citizen = CitizenFactory(user=world.user(Role.CITIZEN))
    return CaseFactory(
        citizen=citizen,
        referring_caseworker=world.user(Role.CASEWORKER),
        source="referral",
    )


def case_kwargs(world):
    return {"pk": world.get("case", build_case).pk}


def meeting_kwargs(world):
    case = world.get("case", build_case)
    meeting = world.get("meeting", lambda w: MeetingFactory(case=case))
    return {"pk": case.pk, "meeting_pk": meeting.pk}


def planned_meeting_kwargs(world):
    """A meeting still to come, so that it can be moved or cancelled."""
    case = world.get("case", build_case)
    meeting = world.get(
        "planned_meeting",
        lambda w: MeetingFactory(
            case=case,
            starts_at=timezone.now() + datetime.timedelta(days=5),
            attendance="unknown",
        ),
    )
    return {"pk": case.pk, "meeting_pk": meeting.pk}


def meeting_move_data(world):
    starts = timezone.localtime() + datetime.timedelta(days=8)
    return {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "Biblioteket, mødelokale 1"}


def programme_kwargs(world):
    return {"pk": world.get("case", build_case).programme_id}


def programme_data(world):
    return {
        "name": "Mikrolån efterår",
        "start_date": "2026-08-03",
        "recruitment_first": 8,
        "recruitment_last": 20,
        "business_development_first": 14,
        "business_development_last": 24,
        "courses_first": 18,
        "courses_last": 32,
        "establishment_first": 32,
        "establishment_last": "",
        "screening_4_first": 60,
        "screening_4_last": 62,
    }


def intake_data(world):
    return {
        "first_name": "Ida",
        "last_name": "Holm",
        "cpr": "010185-1234",
        "benefit_type": "kontanthjaelp",
        "business_idea": "Keramikværksted",
        "referral_reason": "Stærk motivation og erfaring fra faget.",
    }


def meeting_plan_data(world):
    starts = timezone.localtime() + datetime.timedelta(days=3)
    return {
        "kind": "individual",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "place": "Café Kaffekilden",
        "staff": [world.user(Role.TEAM_MEMBER).pk],
    }


ROUTES = [
    Route("applicants:case_list", allowed=STAFF),
    # The search form posts; the text goes to the session, the browser is redirected.
    Route("applicants:case_list", allowed=STAFF, method="post", data={"q": "x"}, ok_status=302),
    Route("applicants:case_export", allowed=STAFF),
    Route("applicants:inquiry_create", allowed=STAFF),
    Route(
        "applicants:inquiry_create", allowed=STAFF, method="post", data=intake_data, ok_status=302
    ),
    Route("applicants:referral_create", allowed=CASEWORKER),
    # The referral's "Tjek dine svar" step, then the confirmation that sends it.
    Route("applicants:referral_create", allowed=CASEWORKER, method="post", data=intake_data),
    Route(
        "applicants:referral_create",
        allowed=CASEWORKER,
        method="post",
        data=lambda w: {**intake_data(w), "confirm": "1"},
        ok_status=302,
    ),
    Route("applicants:referral_list", allowed=CASEWORKER),
    Route("applicants:referral_status", allowed=CASEWORKER, kwargs=case_kwargs),
    Route("applicants:portal_withdraw", allowed=CITIZEN, kwargs=lambda w: (case_kwargs(w), {})[1]),
    Route(
        "applicants:portal_withdraw",
        allowed=CITIZEN,
        kwargs=lambda w: (case_kwargs(w), {})[1],
        method="post",
        data={"reason": ""},
        ok_status=302,
    ),
    Route("applicants:programme_list", allowed=STAFF),
    Route("applicants:programme_create", allowed=LEAD),
    Route(
        "applicants:programme_create",
        allowed=LEAD,
        method="post",
        data=lambda w: {
            "name": "Mikrolån efterår",
            "start_date": "2026-08-03",
            "recruitment_first": 8,
            "recruitment_last": 20,
            "business_development_first": 14,
            "business_development_last": 24,
            "courses_first": 18,
            "courses_last": 32,
            "establishment_first": 32,
            "establishment_last": "",
            "screening_4_first": 60,
            "screening_4_last": 62,
        },
        ok_status=302,
    ),
    Route("applicants:programme_edit", allowed=LEAD, kwargs=programme_kwargs),
    Route(
        "applicants:programme_edit",
        allowed=LEAD,
        kwargs=programme_kwargs,
        method="post",
        data=lambda w: {**programme_data(w), "name": "Mikrolån forår (rettet)"},
        ok_status=302,
    ),
    Route("applicants:case_detail", allowed=STAFF, kwargs=case_kwargs),
    Route("applicants:citizen_edit", allowed=STAFF, kwargs=case_kwargs),
    Route("applicants:case_edit", allowed=STAFF, kwargs=case_kwargs),
    Route(
        "applicants:case_edit",
        allowed=STAFF,
        kwargs=case_kwargs,
        method="post",
        data=lambda w: {"responsible": w.user(Role.TEAM_LEAD).pk, "benefit_type": "other"},
        ok_status=302,
    ),
    Route("applicants:phone_interview_create", allowed=STAFF, kwargs=case_kwargs),
    Route("applicants:meeting_create", allowed=STAFF, kwargs=case_kwargs),
    Route(
        "applicants:meeting_create",
        allowed=STAFF,
        kwargs=case_kwargs,
        method="post",
        data=meeting_plan_data,
        ok_status=302,
    ),
    Route("applicants:meeting_record", allowed=STAFF, kwargs=meeting_kwargs),
    Route("applicants:meeting_move", allowed=STAFF, kwargs=planned_meeting_kwargs),
    Route(
        "applicants:meeting_move",
        allowed=STAFF,
        kwargs=planned_meeting_kwargs,
        method="post",
        data=meeting_move_data,
        ok_status=302,
    ),
    Route("applicants:meeting_cancel", allowed=STAFF, kwargs=planned_meeting_kwargs),
    Route(
        "applicants:meeting_cancel",
        allowed=STAFF,
        kwargs=planned_meeting_kwargs,
        method="post",
        data={"reason": "Kontaktpersonen er syg."},
        ok_status=302,
    ),
    Route(
        "applicants:case_transition",
        allowed=STAFF,
        kwargs=lambda w: {**case_kwargs(w), "transition": "pause"},
    ),
    Route(
        "applicants:case_transition",
        allowed=STAFF,
        kwargs=lambda w: {**case_kwargs(w), "transition": "start_phone_interview"},
        method="post",
        data={"stage_seen": "inquiry"},
        ok_status=302,
    ),
]

# The citizen's portal and the team's review of the forms.
from tests.applicants.portal_routes import ROUTES as PORTAL_ROUTES  # noqa: E402

ROUTES += PORTAL_ROUTES
