"""The courses' section of the case page: the citizen's seats, attendance
rate and current mentor. Queries: the seats with cohorts and modules, the
rate setting, the marks, the current mentor — four, whatever the case holds."""

from . import selectors
from .models import Enrolment


def courses_section(request, case) -> dict:
    seats = list(
        Enrolment.objects.filter(case=case)
        .select_related("cohort", "module")
        .order_by("cohort__start_date", "module__position", "pk")
    )
    rate = selectors.attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
    return {
        "seats": seats,
        "rate": rate,
        "match": selectors.current_match(case),
    }
