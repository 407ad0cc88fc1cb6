"""The courses' personal data (see mikrolaan.privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from mikrolaan.privacy.registry import PersonalData, register_personal_data

from .models import AttendanceRecord, Enrolment, MentorMatch, MentorMeeting, NetworkInvitation


def anonymise_seats(rows, *, now) -> int:
    return rows.exclude(observation="").update(observation="")


def anonymise_marks(rows, *, now) -> int:
    # The marks stay (rates are counted from them); the notes go.
    return rows.exclude(note="").update(note="")


def anonymise_mentor_meetings(rows, *, now) -> int:
    return rows.update(topic="", note="")


register_personal_data(
    PersonalData(
        key="course_seats",
        title=_("Pladser på hold og observationer fra kursusinternatet"),
        model=Enrolment,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_seats,
        order=45,
    )
)
register_personal_data(
    PersonalData(
        key="course_attendance",
        title=_("Fremmøde på kurser og netværksdage"),
        model=AttendanceRecord,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_marks,
        order=46,
    )
)
register_personal_data(
    PersonalData(
        key="network_invitations",
        title=_("Invitationer til netværksdage og svar"),
        model=NetworkInvitation,
        subject_path="case__citizen",
        case_path="case",
        order=47,
    )
)
register_personal_data(
    PersonalData(
        key="mentor_matches",
        title=_("Mentorer"),
        model=MentorMatch,
        subject_path="case__citizen",
        case_path="case",
        order=48,
    )
)
register_personal_data(
    PersonalData(
        key="mentor_meetings",
        title=_("Mentormøder"),
        model=MentorMeeting,
        subject_path="match__case__citizen",
        case_path="match__case",
        anonymise=anonymise_mentor_meetings,
        order=49,
    )
)
