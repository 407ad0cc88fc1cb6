"""The team lead's reports: the dashboard (funnel, outcomes, business case,
the apps' sections), cohorts against the week plan, the business case as a
page and a one-page PDF, the programme set-up checklist, the competence
matrix; for the team the forms waiting for an answer; for caseworkers the
information page. Every table exports to CSV and .xlsx."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mikrolaan.charts import Bar, Span, bar_chart, timeline_chart
from mikrolaan.exports import FORMATS, table_response
from mikrolaan.roles import STAFF_ROLES, Role, role_required
from mikrolaan.tenancy import request_municipality

from ..models import Programme
from . import dashboard_html, selectors, services
from .cohort_table import cohort_rows
from .forms import AssumptionsForm, ReportFilterForm, TeamMemberForm
from .models import SetupItem, TeamMember
from .registry import ReportFilters, business_case_inputs, report_sections, report_table

LEAD = (Role.TEAM_LEAD,)


def _filters(request) -> tuple[ReportFilterForm, ReportFilters]:
    form = ReportFilterForm(request.GET if request.GET else None)
    return form, form.filters()


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("vis", None)
    return params.urlencode()


def funnel_chart(stages) -> str:
    return bar_chart(
        [Bar(s.label, s.count, muted=s.closed) for s in stages],
        title=_("Forløb pr. fase nu"),
    )


def conversion_chart(funnel) -> str:
    bars = []
    for s in funnel.screenings:
        bars.append(Bar(_("%(s)s: gik ind") % {"s": s.label}, s.entered, muted=True))
        bars.append(Bar(_("%(s)s: bestod") % {"s": s.label}, s.passed))
    return bar_chart(bars, title=_("Konvertering pr. screening"))


@role_required(*LEAD)
def dashboard(request):
    form, filters = _filters(request)
    stages = selectors.stage_counts(filters)
    inputs = business_case_inputs(filters, request=request)  # the funnel's, the business case's
    figures = selectors.pipeline_figures(filters, inputs=inputs)
    funnel = figures["funnel"]
    case = selectors.business_case(
        filters,
        admitted=figures["admitted_all_time"],
        municipality=request_municipality(request),
        inputs=inputs,
        start=form.first_week_1,
    )
    return render(
        request,
        "applicants/reports/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "query": _query(request),
            "stages": stages,
            "stage_rows": dashboard_html.stage_rows(stages, filters.programme),
            "stages_chart": funnel_chart(stages),
            "funnel": funnel,
            "conversion_rows": dashboard_html.conversion_rows(funnel.screenings),
            "pilot_rows": dashboard_html.pilot_rows(funnel.pilots),
            "conversion_chart": conversion_chart(funnel),
            "outcomes": figures["outcomes"],
            "exit_rows": dashboard_html.exit_rows(figures["outcomes"].exits),
            "case": case,
            "sections": report_sections(request, filters),
        },
    )


@role_required(*LEAD)
def export(request, report, fmt):
    table = report_table(report)
    if table is None or fmt not in FORMATS:
        raise Http404
    _form, filters = _filters(request)
    title, header, rows = table(request, filters)
    stamp = timezone.localdate().isoformat()
    return table_response(
        request,
        fmt=fmt,
        name=f"{report}-{stamp}",
        title=str(title),
        header=[str(h) for h in header],
        rows=rows,
        data={"report": report, **{k: v for k, v in request.GET.items() if k != "vis"}},
    )


def _programme_from(request) -> Programme | None:
    programme_id = request.GET.get("programme")
    if programme_id:
        if not programme_id.isdigit():
            raise Http404
        return get_object_or_404(Programme, pk=int(programme_id))
    return Programme.objects.order_by("-start_date", "name").first()


def cohort_chart(data) -> str:
    spans = [
        Span(
            f"{row.case.case_number}",
            row.planned_first or 1,
            row.planned_last,
            marker=data["week"],
            warn=row.behind,
            since=row.since_week,
        )
        for row in data["rows"]
        if row.planned_first is not None
    ]
    return timeline_chart(
        spans,
        title=_("Forløbenes planlagte uger og uge %(w)s") % {"w": data["week"]},
        weeks=data["weeks"],
        current_week=data["week"],
    )


@role_required(*LEAD)
def cohorts(request):
    programme = _programme_from(request)
    programmes = list(Programme.objects.order_by("-start_date", "name").only("id", "name"))
    data = selectors.cohort(programme) if programme is not None else None
    plan_chart = None
    if data is not None:
        plan_chart = timeline_chart(
            [Span(label, first, last) for label, first, last in data["plan"]],
            title=_("Ugeplanen"),
            weeks=data["weeks"],
            current_week=data["week"],
        )
    return render(
        request,
        "applicants/reports/cohorts.html",
        {
            "programme": programme,
            "programmes": programmes,
            "data": data,
            "plan_chart": plan_chart,
            "chart": cohort_chart(data) if data else None,
            "rows": cohort_rows(data["rows"]) if data else "",
        },
    )


@role_required(*LEAD)
def business_case(request):
    assumptions = selectors.assumptions_for_municipality()
    form_filters, filters = _filters(request)
    if request.method == "POST":
        form = AssumptionsForm(request.POST, instance=assumptions)
        if form.is_valid():
            services.save_assumptions(
                actor=request.user, assumptions=assumptions, data=form.cleaned_data
            )
            messages.success(request, _("Forudsætningerne er gemt."))
            url = reverse("reports:business_case")
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}" if query else url)
        assumptions = selectors.assumptions_for_municipality()
    else:
        form = AssumptionsForm(instance=assumptions)
    return render(
        request,
        "applicants/reports/business_case.html",
        {
            "form": form,
            "filter_form": form_filters,
            "query": _query(request),
            "case": selectors.business_case(
                filters,
                assumptions=assumptions,
                municipality=request_municipality(request),
                start=form_filters.first_week_1,
            ),
            "filters": filters,
        },
    )


@role_required(*LEAD)
def business_case_pdf(request):
    """The business case on one page for a council meeting."""
    from mikrolaan.letters.rendering import html_to_pdf

    _form, filters = _filters(request)
    inputs = business_case_inputs(filters, request=request)
    figures = selectors.pipeline_figures(filters, inputs=inputs)
    funnel = figures["funnel"]
    case = selectors.business_case(
        filters,
        admitted=figures["admitted_all_time"],
        municipality=request_municipality(request),
        inputs=inputs,
    )
    with translation.override("da"):
        html = render_to_string(
            "applicants/reports/business_case_pdf.html",
            {
                "case": case,
                "funnel": funnel,
                "chart": conversion_chart(funnel),
                "filters": filters,
                "municipality": request_municipality(request),
                "now": timezone.localtime(),
            },
        )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="business-case.pdf"'
    return response


@role_required(*LEAD)
def setup_checklist(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    if request.method == "POST":
        item = request.POST.get("item", "")
        if item not in SetupItem.values:
            messages.error(request, _("Vælg et punkt på tjeklisten."))
        else:
            done = request.POST.get("done") == "1"
            services.tick_setup_item(
                actor=request.user,
                programme=programme,
                item=item,
                done=done,
                note=request.POST.get("note", "").strip(),
            )
            messages.success(request, _("Tjeklisten er opdateret."))
        return redirect("reports:setup_checklist", pk=programme.pk)
    items = selectors.setup_checklist(programme)
    return render(
        request,
        "applicants/reports/setup_checklist.html",
        {
            "programme": programme,
            "items": items,
            "done": sum(1 for i in items if i["check"] and i["check"].done),
        },
    )


@role_required(*LEAD)
def team(request):
    return render(
        request,
        "applicants/reports/team.html",
        {"matrix": selectors.competence_matrix()},
    )


@role_required(*LEAD)
def team_member_edit(request, pk=None):
    member = get_object_or_404(TeamMember, pk=pk) if pk is not None else TeamMember()
    form = TeamMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "user" or not member.pk}
        services.save_team_member(actor=request.user, member=member, data=data)
        messages.success(request, _("Kompetencematrixen er gemt."))
        return redirect("reports:team")
    return render(
        request,
        "applicants/reports/team_member_form.html",
        {"form": form, "member": member if member.pk else None},
    )


@role_required(*LEAD)
@require_POST
def team_member_remove(request, pk):
    member = get_object_or_404(TeamMember, pk=pk)
    services.remove_team_member(actor=request.user, member=member)
    messages.success(request, _("Medarbejderen er fjernet fra kompetencematrixen."))
    return redirect("reports:team")


@role_required(*STAFF_ROLES)
def submissions(request):
    """The citizens' forms submitted and waiting for the team's answer."""
    rows, total = selectors.submitted_form_rows()
    return render(request, "applicants/reports/submissions.html", {"forms": rows, "total": total})


@role_required(*STAFF_ROLES, Role.CASEWORKER)
def caseworker_information(request):
    """What the microloan offer is, who it is for, and the referral link."""
    return render(
        request,
        "applicants/reports/caseworker_information.html",
        {"referral_url": request.build_absolute_uri(reverse("applicants:referral_create"))},
    )
