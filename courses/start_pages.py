"""The courses' sections of the start pages: for the team, granted modules
without a seat on a cohort; for a mentor, their own mentees."""

from mikrolaan.roles import STAFF_ROLES, Role
from mikrolaan.views import register_start_page

from . import selectors
from .models import Mentor


@register_start_page(*STAFF_ROLES)
def seatless_grants_section(request) -> dict:
    grants, more = selectors.seatless_grants()
    return {"seatless_grants": grants, "seatless_grants_more": more}


@register_start_page(Role.MENTOR)
def mentees_section(request) -> dict:
    mentor = Mentor.objects.filter(user=request.user, active=True).first()
    return {"mentor_matches": selectors.matches_of_mentor(mentor) if mentor else []}
