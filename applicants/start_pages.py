"""The pipeline's sections of the start pages (team, caseworker, citizen)."""

from django.utils.translation import gettext_lazy as _

from mikrolaan.roles import STAFF_ROLES, Role
from mikrolaan.views import register_start_page

from . import selectors
from .models import CLOSED_STAGES, Stage

# The stage in plain Danish, speaking to the citizen as an entrepreneur.
CITIZEN_STAGE_TEXT = {
    Stage.INQUIRY: (
        _("Vi har modtaget din henvendelse"),
        _("En fra mikrolånsteamet ringer til dig snart og fortæller om forløbet."),
    ),
    Stage.PHONE_INTERVIEW: (
        _("Vi taler sammen i telefonen"),
        _("Vi fortæller om forløbet og hører om din idé til en virksomhed."),
    ),
    Stage.FIRST_MEETING: (
        _("Første møde om din forretningsidé"),
        _("Vi mødes et uformelt sted, fx på en café, og taler om din idé."),
    ),
    Stage.SECOND_MEETING: (
        _("Det andet møde"),
        _("Vi taler om din foreløbige forretningsplan og om dig som iværksætter."),
    ),
    Stage.SCREENING_1: (
        _("Vi vurderer, om forløbet passer til dig"),
        _("Teamet ser på din idé og din motivation. Du hører fra os."),
    ),
    Stage.BUSINESS_DEVELOPMENT: (
        _("Du udvikler din forretning"),
        _("Du mødes med din erhvervscoach og laver de første budgetter."),
    ),
    Stage.SCREENING_2: (
        _("Vi vurderer det næste skridt"),
        _("Teamet vurderer, om du skal fortsætte på kurserne. Du hører fra os."),
    ),
    Stage.COURSES: (
        _("Du er på kursus"),
        _("Du lærer om regnskab, markedsføring, moms og skat sammen med andre iværksættere."),
    ),
    Stage.SCREENING_3: (
        _("Vi vurderer lån og opstart"),
        _("Teamet vurderer din forretningsplan og dine budgetter. Du hører fra os."),
    ),
    Stage.ESTABLISHMENT: (
        _("Din virksomhed bliver etableret"),
        _("Lån og forsørgelse bliver sat på plads, så du kan starte."),
    ),
    Stage.RUNNING: (
        _("Din virksomhed er i gang"),
        _("Du får sparring, netværksdage og evt. en mentor."),
    ),
    Stage.SCREENING_4: (
        _("Selvevaluering"),
        _("Du fortæller, hvordan det går, og vi vurderer sammen den videre støtte."),
    ),
    Stage.SELF_SUPPORTING: (
        _("Du er selvforsørgende"),
        _("Tillykke! Netværket og din mentor er der stadig for dig."),
    ),
    Stage.DECLINED: (
        _("Dit forløb er afsluttet"),
        _("Du har fået et brev med begrundelsen. Kontakt os, hvis du har spørgsmål."),
    ),
    Stage.WITHDRAWN: (
        _("Du er trådt ud af forløbet"),
        _("Du er altid velkommen til at kontakte os igen."),
    ),
    Stage.PAUSED: (
        _("Dit forløb holder pause"),
        _("Vi aftaler sammen, hvornår du fortsætter."),
    ),
}


@register_start_page(*STAFF_ROLES)
def team_sections(request) -> dict:
    """My meetings by default ("Mit overblik"); ?vis=team shows the whole team's."""
    from .reports.start_pages import week_meetings

    whole_team = request.GET.get("vis") == "team"
    return {**week_meetings(request), "meetings_whole_team": whole_team}


# The caseworker's start page shows the newest referrals; the rest are one
# click away (applicants:referral_list).
SHOWN_REFERRALS = 20


@register_start_page(Role.CASEWORKER)
def caseworker_sections(request) -> dict:
    qs = selectors.referrals_for_caseworker(request.user)
    referrals = selectors.with_stage_labels(list(qs[:SHOWN_REFERRALS]))
    return {"referrals": referrals, "referrals_total": qs.count()}


@register_start_page(Role.CITIZEN)
def citizen_sections(request) -> dict:
    context = selectors.citizen_portal(request.user)
    case = context["portal_case"]
    context["portal_can_withdraw"] = case is not None and case.stage not in CLOSED_STAGES
    if case is not None:
        from .portal.selectors import forms_for_case, next_form

        title, text = CITIZEN_STAGE_TEXT[case.stage]
        context.update(portal_stage_title=title, portal_stage_text=text)
        if case.stage not in CLOSED_STAGES:
            forms = forms_for_case(case)
            context.update(portal_forms=forms, portal_next=next_form(forms))
    return context
