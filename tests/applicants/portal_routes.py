"""The portal's rows of the permission matrix (see tests/routes.py)."""

from applicants.portal.demo import PERSON_PROFILE
from mikrolaan.roles import Role
from tests.applicants.portal_helpers import at_stage, pdf_upload, submitted_business_plan
from tests.routes import LEAD, STAFF, Route

CITIZEN = frozenset({Role.CITIZEN})
STAFF_AND_CITIZEN = STAFF | CITIZEN
PLAN = {"slug": "business-plan"}


def _case(world):
    from tests.applicants.routes import build_case

    return at_stage(world.get("case", build_case))


def plan_kwargs(world):
    _case(world)
    return dict(PLAN)


def step_kwargs(world):
    _case(world)
    return {**PLAN, "step": "company"}


def case_kwargs(world):
    return {"pk": _case(world).pk}


def review_kwargs(world):
    return {**case_kwargs(world), "slug": "business-plan"}


def _version(world):
    case = _case(world)
    return world.get("version", lambda w: submitted_business_plan(case, w.user(Role.CITIZEN)))


def version_kwargs(world):
    return {"pk": _version(world).pk}


def _attachment(world):
    from applicants.portal import services

    case = _case(world)
    form = services.form_for(case, "business_plan")
    return world.get(
        "attachment",
        lambda w: services.add_attachment(
            actor=w.user(Role.CITIZEN), form=form, upload=pdf_upload()
        ),
    )


def attachment_kwargs(world):
    return {"pk": _attachment(world).pk}


ROUTES = [
    Route("portal:sign_in", public=True),
    Route(
        "portal:sign_in", public=True, method="post", data={"email": "x@example.dk"}, ok_status=302
    ),
    Route("portal:sign_in_sent", public=True),
    Route("portal:link", public=True),
    Route("portal:link", public=True, method="post", data={"link": "forkert"}),
    Route("portal:form_overview", allowed=CITIZEN, kwargs=plan_kwargs),
    Route("portal:form_step", allowed=CITIZEN, kwargs=step_kwargs),
    Route(
        "portal:form_step",
        allowed=CITIZEN,
        kwargs=step_kwargs,
        method="post",
        data={"product": "Keramik"},
        ok_status=302,
    ),
    Route(
        "portal:form_autosave",
        allowed=CITIZEN,
        kwargs=step_kwargs,
        method="post",
        data={"product": "Kera"},
    ),
    Route("portal:form_check", allowed=CITIZEN, kwargs=plan_kwargs),
    Route("portal:form_check", allowed=CITIZEN, kwargs=plan_kwargs, method="post"),
    Route("portal:attachment_upload", allowed=CITIZEN, kwargs=plan_kwargs, method="post"),
    Route(
        "portal:attachment_remove",
        allowed=CITIZEN,
        kwargs=attachment_kwargs,
        method="post",
        ok_status=302,
    ),
    Route("portal:attachment_download", allowed=STAFF_AND_CITIZEN, kwargs=attachment_kwargs),
    Route("portal:version_pdf", allowed=STAFF_AND_CITIZEN, kwargs=version_kwargs),
    Route(
        "applicants:portal_invite",
        allowed=STAFF,
        kwargs=case_kwargs,
        method="post",
        ok_status=302,
    ),
    Route("applicants:form_review", allowed=STAFF, kwargs=review_kwargs),
    Route(
        "applicants:form_review",
        allowed=STAFF,
        kwargs=lambda w: (version_kwargs(w), review_kwargs(w))[1],
        method="post",
        data={"action": "send_back", "message": "Skriv mere om priserne."},
        ok_status=302,
    ),
    Route("applicants:person_profile_for_citizen", allowed=STAFF, kwargs=case_kwargs),
    Route(
        "applicants:person_profile_for_citizen",
        allowed=STAFF,
        kwargs=case_kwargs,
        method="post",
        data={**PERSON_PROFILE, "received_as": "paper"},
        ok_status=302,
    ),
    Route("applicants:question_texts_index", allowed=LEAD),
    Route("applicants:question_texts", allowed=LEAD, kwargs={"slug": "person-profile"}),
]
