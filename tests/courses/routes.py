"""The courses' rows of the permission matrix (see tests/routes.py). The
team plans cohorts and takes attendance; the team lead keeps the
catalogue; a mentor sees only their own mentees; a citizen sees their own
coming sessions and answers their own invitations; the calendar feed is
reached by its secret token alone."""

from courses import services
from courses.models import Mentor, MentorMatch, NetworkInvitation
from mikrolaan.roles import Role
from tests.courses import helpers
from tests.factories import CaseFactory, CitizenFactory
from tests.routes import ALL, LEAD, STAFF, Route

CITIZEN = frozenset({Role.CITIZEN})
STAFF_AND_MENTOR = STAFF | {Role.MENTOR}


def course_case(world):
    """The world's citizen on courses, with a seat on a cohort."""

    def build(w):
        citizen = CitizenFactory(user=w.user(Role.CITIZEN))
        return CaseFactory(citizen=citizen, stage="courses", industry="Håndværk")

    return world.get("course_case", build)


def cohort(world):
    def build(w):
        case = course_case(w)
        c = helpers.cohort(programme=case.programme)
        helpers.seat(c, case)
        return c

    return world.get("cohort", build)


def session(world):
    return world.get("session", lambda w: helpers.session(cohort(w)))


def network_day(world):
    def build(w):
        s = helpers.session(
            None, "network_day", days=10, municipality_id=course_case(w).municipality_id
        )
        NetworkInvitation.objects.create(session=s, case=course_case(w))
        return s

    return world.get("network_day", build)


def invitation(world):
    network_day(world)
    return NetworkInvitation.objects.get(case=course_case(world))


def residential_seat(world):
    return world.get(
        "residential_seat", lambda w: helpers.seat(cohort(w), course_case(w), "residential")
    )


def mentor(world):
    return world.get(
        "mentor",
        lambda w: Mentor.objects.create(
            municipality_id=course_case(w).municipality_id,
            name="Jens Tømrer",
            trade="Håndværk",
            user=w.user(Role.MENTOR),
        ),
    )


def match(world):
    return world.get(
        "match", lambda w: MentorMatch.objects.create(mentor=mentor(w), case=course_case(w))
    )


def module_pk(world):
    return {"module_pk": helpers.module("accounting", course_case(world).municipality_id).pk}


def feed_token(world):
    return {"token": world.get("feed", lambda w: services.feed_for(w.user(Role.TEAM_MEMBER))).token}


def session_data(world):
    return {
        "module": helpers.module("accounting", course_case(world).municipality_id).pk,
        "starts_at": "2027-03-01T09:00",
        "ends_at": "2027-03-01T12:00",
        "place": "Jobcenter, lokale 4",
    }


ROUTES = [
    Route("courses:cohorts", allowed=STAFF),
    Route("courses:cohort_create", allowed=STAFF),
    Route("courses:cohort", allowed=STAFF, kwargs=lambda w: {"pk": cohort(w).pk}),
    Route("courses:cohort_edit", allowed=STAFF, kwargs=lambda w: {"pk": cohort(w).pk}),
    Route(
        "courses:cohort_enrol",
        allowed=STAFF,
        kwargs=lambda w: {"pk": cohort(w).pk},
        method="post",
        ok_status=302,
    ),
    Route("courses:session_create", allowed=STAFF, kwargs=lambda w: {"pk": cohort(w).pk}),
    Route(
        "courses:session_create",
        allowed=STAFF,
        kwargs=lambda w: {"pk": cohort(w).pk},
        method="post",
        data=session_data,
        ok_status=302,
    ),
    Route("courses:session", allowed=STAFF, kwargs=lambda w: {"pk": session(w).pk}),
    Route(
        "courses:session",
        allowed=STAFF,
        kwargs=lambda w: {"pk": session(w).pk},
        method="post",
        data=lambda w: {f"mark-{course_case(w).pk}": "present"},
        ok_status=302,
    ),
    Route("courses:session_edit", allowed=STAFF, kwargs=lambda w: {"pk": session(w).pk}),
    Route("courses:session_cancel", allowed=STAFF, kwargs=lambda w: {"pk": session(w).pk}),
    Route(
        "courses:session_invite",
        allowed=STAFF,
        kwargs=lambda w: {"pk": network_day(w).pk},
        method="post",
        ok_status=302,
    ),
    Route(
        "courses:runsheet_pdf",
        allowed=STAFF | CITIZEN,
        kwargs=lambda w: {"pk": network_day(w).pk},
    ),
    Route("courses:observation", allowed=STAFF, kwargs=lambda w: {"pk": residential_seat(w).pk}),
    Route("courses:network_days", allowed=STAFF),
    Route("courses:network_day_create", allowed=STAFF),
    Route("courses:modules", allowed=LEAD),
    Route("courses:module_create", allowed=LEAD),
    Route("courses:module_edit", allowed=LEAD, kwargs=module_pk),
    Route("courses:mentors", allowed=STAFF),
    Route("courses:mentor_create", allowed=STAFF),
    Route("courses:mentor_edit", allowed=STAFF, kwargs=lambda w: {"pk": mentor(w).pk}),
    Route("courses:case_mentor", allowed=STAFF, kwargs=lambda w: {"case_pk": course_case(w).pk}),
    Route("courses:match", allowed=STAFF_AND_MENTOR, kwargs=lambda w: {"pk": match(w).pk}),
    Route(
        "courses:match_end",
        allowed=STAFF,
        kwargs=lambda w: {"pk": match(w).pk},
        method="post",
        ok_status=302,
    ),
    Route("courses:calendar", allowed=ALL),
    Route("courses:calendar_revoke", allowed=ALL, method="post", ok_status=302),
    Route("courses:calendar_feed", kwargs=feed_token, public=True),
    Route("courses:portal_sessions", allowed=CITIZEN, kwargs=lambda w: (course_case(w), {})[1]),
    Route("courses:portal_answer", allowed=CITIZEN, kwargs=lambda w: {"pk": invitation(w).pk}),
    Route(
        "courses:portal_answer",
        allowed=CITIZEN,
        kwargs=lambda w: {"pk": invitation(w).pk},
        method="post",
        data={"answer": "yes"},
        ok_status=302,
    ),
]
