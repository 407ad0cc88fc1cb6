"""The courses' sections of the start pages: for the team, granted modules
without a seat on a cohort; for a mentor, their own mentees."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.reports.registry import TaskCount, once_per_request, register_task_counts
from mikrolaan.roles import STAFF_ROLES, Role
from mikrolaan.views import register_start_page

from . import selectors
from .models import Mentor


def _seatless_grants(request):
    return once_per_request(request, "seatless_grants", selectors.seatless_grants)


@register_start_page(*STAFF_ROLES)
def seatless_grants_section(request) -> dict:
    grants, more = _seatless_grants(request)
    return {"seatless_grants": grants, "seatless_grants_more": more}


@register_task_counts(order=30)
def course_tasks(request) -> list[TaskCount]:
    """Granted modules without a seat, counted from the start page's list of
    them (a count only when it is full); the link goes to that list."""
    rows, more = _seatless_grants(request)
    seatless = len(rows) + more
    return [
        TaskCount(
            "seatless_grants",
            _("Bevilgede kursusmoduler uden plads på et hold"),
            seatless,
            f"{reverse('home')}#seatless-heading",
        )
    ]


@register_start_page(Role.MENTOR)
def mentees_section(request) -> dict:
    mentor = Mentor.objects.filter(user=request.user, active=True).first()
    return {"mentor_matches": selectors.matches_of_mentor(mentor) if mentor else []}
