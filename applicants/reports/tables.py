"""Every report as a table for export: ``(request, filters) -> (title,
header, rows)``. The pages show the same figures."""

from django.http import Http404
from django.utils.translation import gettext as _

from . import selectors
from .registry import register_report_table


def _stages(request, filters):
    rows = [(s.label, s.count) for s in selectors.stage_counts(filters)]
    return _("Forløb pr. fase"), [_("Fase"), _("Forløb")], rows


def _conversion(request, filters):
    funnel = selectors.funnel(filters)
    rows = [
        (s.label, s.entered, s.passed, s.stopped, s.withdrawn, s.extended, s.rate)
        for s in funnel.screenings
    ]
    header = [
        _("Screening"),
        _("Gik ind"),
        _("Bestod"),
        _("Stoppet"),
        _("Udtrådt"),
        _("Forlænget"),
        _("Bestod (%)"),
    ]
    return _("Konvertering pr. screening"), header, rows


def _pilots(request, filters):
    funnel = selectors.funnel(filters)
    rows = [
        (
            p["label"],
            p["ours_from"],
            p["ours_to"],
            p["ours_rate"],
            p["pilot_from"],
            p["pilot_to"],
            p["pilot_rate"],
        )
        for p in funnel.pilots
    ]
    header = [
        _("Trin"),
        _("Vores: fra"),
        _("Vores: til"),
        _("Vores (%)"),
        _("Forsøget: fra"),
        _("Forsøget: til"),
        _("Forsøget (%)"),
    ]
    return _("Sammenligning med forsøgene"), header, rows


def _outcomes(request, filters):
    o = selectors.outcomes(filters)
    rows = [
        (_("Selvforsørgende"), o.self_supporting),
        (_("Virksomheden stoppet"), o.business_stopped),
        (_("Måneder fra henvendelse til selvforsørgelse (gns.)"), o.months_to_self_support),
    ]
    return _("Resultater"), [_("Resultat"), _("Værdi")], rows


def _exits(request, filters):
    o = selectors.outcomes(filters)
    header = [_("Forlod forløbet fra"), _("Afsluttet (afslag/stop)"), _("Udtrådt")]
    return _("Hvor borgerne forlod forløbet"), header, o.exits


def _business_case(request, filters):
    c = selectors.business_case(filters)
    a = c.assumptions
    rows = [
        (_("Forudsætning: sparet forsørgelse pr. måned (kr.)"), a.benefit_saved_per_month),
        (_("Forudsætning: tilskud til forsørgelse pr. måned (kr.)"), a.support_cost_per_month),
        (_("Forudsætning: teamets udgift pr. år (kr.)"), a.team_cost_per_year),
        (_("Forudsætning: tidshorisont (år)"), a.horizon_years),
        (_("Visiterede borgere"), c.admitted),
        (_("Selvforsørgende"), c.self_supporting),
        (_("Sparede måneder inden for horisonten"), c.months_saved),
        (_("Måneder med tilskud til forsørgelse"), c.support_months),
        (_("Teamets år på programmet"), c.team_years),
        (_("Besparelse (kr.)"), c.savings),
        (_("Teamets udgift (kr.)"), c.team_cost),
        (_("Tilskud til forsørgelse (kr.)"), c.support_cost),
        (_("Afskrevne lån (kr.)"), c.loans_written_off),
        (_("Udgifter i alt (kr.)"), c.costs),
        (_("Netto (kr.)"), c.net),
        (_("Selvforsørgende, der skal til for at tjene udgiften hjem"), c.break_even),
    ]
    return _("Business case"), [_("Post"), _("Værdi")], rows


def _cohort(request, filters):
    if filters.programme is None:
        raise Http404
    data = selectors.cohort(filters.programme)
    header = [
        _("Journalnummer"),
        _("Navn"),
        _("Fase"),
        _("Planlagte uger"),
        _("Uger i fasen"),
        _("Bagud i forhold til planen"),
    ]
    rows = [
        (
            r.case.case_number,
            r.case.citizen.full_name,
            r.stage_label,
            f"{r.planned_first}–{r.planned_last or ''}" if r.planned_first else "",
            r.weeks_in_stage,
            _("ja") if r.behind else _("nej"),
        )
        for r in data["rows"]
    ]
    return _("Tidslinje %(p)s") % {"p": filters.programme.name}, header, rows


def _team(request, filters):
    from .models import Competence

    matrix = selectors.competence_matrix()
    header = [_("Medarbejder"), _("Årsværk"), *[str(label) for _k, label in Competence.choices]]
    rows = [(m.name, m.fte, *[_("ja") if has else "" for has in m.has]) for m in matrix.members]
    return _("Kompetencematrix"), header, rows


def _checklist(request, filters):
    if filters.programme is None:
        raise Http404
    from django.utils import timezone

    rows = []
    for i in selectors.setup_checklist(filters.programme):
        check = i["check"]
        who = ""
        when = ""
        if check and check.ticked_by:
            who = check.ticked_by.get_full_name() or check.ticked_by.get_username()
            when = timezone.localtime(check.ticked_at).strftime("%d-%m-%Y %H:%M")
        done = _("ja") if check and check.done else _("nej")
        rows.append((i["label"], done, who, when, check.note if check else ""))
    header = [_("Punkt"), _("På plads"), _("Afkrydset af"), _("Tidspunkt"), _("Note")]
    return _("Opstartstjekliste"), header, rows


TABLES = {  # the pipeline's; other apps' via registry.register_report_table
    "faser": _stages,
    "konvertering": _conversion,
    "forsoeg": _pilots,
    "resultater": _outcomes,
    "udtraeden": _exits,
    "business-case": _business_case,
    "tidslinje": _cohort,
    "kompetencer": _team,
    "tjekliste": _checklist,
}

for _name, _table in TABLES.items():
    register_report_table(_name, _table)
