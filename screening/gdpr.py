"""The screenings' personal data (see mikrolaan.privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from mikrolaan.privacy.registry import PersonalData, register_personal_data

from .models import CourseGrant, Hearing, Score, Screening


def anonymise_screenings(rows, *, now) -> int:
    # Number, outcome, amounts and dates stay: the funnel counts them.
    return rows.update(facts="", reasons="", basis_items=[])


def anonymise_scores(rows, *, now) -> int:
    return rows.exclude(note="").update(note="")


def anonymise_hearings(rows, *, now) -> int:
    return rows.update(information="", comments="", exception_reason="")


register_personal_data(
    PersonalData(
        key="screenings",
        title=_("Screeninger"),
        model=Screening,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_screenings,
        order=40,
    )
)
register_personal_data(
    PersonalData(
        key="screening_scores",
        title=_("Screeningernes scorer og noter"),
        model=Score,
        subject_path="screening__case__citizen",
        case_path="screening__case",
        anonymise=anonymise_scores,
        order=41,
    )
)
register_personal_data(
    PersonalData(
        key="course_grants",
        title=_("Bevilgede kursusmoduler"),
        model=CourseGrant,
        subject_path="screening__case__citizen",
        case_path="screening__case",
        order=42,
    )
)
register_personal_data(
    PersonalData(
        key="hearings",
        title=_("Partshøringer"),
        model=Hearing,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_hearings,
        order=43,
    )
)
