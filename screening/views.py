"""Pages of the screenings and hearings. Thin: role and object checks, a
form, a service. Scores and notes are for the team only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition

from applicants.models import CLOSED_STAGES, Case
from applicants.views import _get_case, conflict_message, open_case_only
from mikrolaan.letters.registry import get_kind
from mikrolaan.letters.rendering import html_to_pdf
from mikrolaan.letters.services import build_letter
from mikrolaan.roles import STAFF_ROLES, Role, role_required
from mikrolaan.tenancy import request_municipality

from . import selectors, services
from .basis import available_items
from .forms import (
    CriterionForm,
    HearingCommentsForm,
    HearingExceptionForm,
    HearingForm,
    PortalHearingForm,
    ScreeningForm,
)
from .letters import decision_context
from .models import Channel, Criterion, Hearing, HearingPurpose, Number, Screening


def _get_screening(case: Case, pk: int) -> Screening:
    try:
        return selectors.screening_for_page(case, pk)
    except Screening.DoesNotExist:
        raise Http404 from None


# --- the screening record -------------------------------------------------------------


@require_POST
@role_required(*STAFF_ROLES)
@open_case_only
def screening_start(request, pk):
    case = _get_case(pk)
    try:
        screening = services.start_screening(actor=request.user, case=case)
    except services.ScreeningRefused as exc:
        messages.error(request, " ".join(exc.reasons))
        return redirect("applicants:case_detail", pk=case.pk)
    return redirect("screening:edit", pk=case.pk, screening_pk=screening.pk)


@role_required(*STAFF_ROLES)
def screening_edit(request, pk, screening_pk):
    case = _get_case(pk)
    screening = _get_screening(case, screening_pk)
    if screening.is_decided:
        return redirect("screening:detail", pk=case.pk, screening_pk=screening.pk)
    meetings = services.meetings_for_basis(case)
    items = available_items(case)
    initial = {
        "held_on": screening.held_on,
        "staff": [u.pk for u in screening.staff.all()],
        "meetings": [m.pk for m in screening.basis_meetings.all()],
        "basis_items": [f"{i['source']}:{i['id']}" for i in screening.basis_items],
        "outcome": screening.outcome,
        "facts": screening.facts,
        "reasons": screening.reasons,
        "rests_on_unknown_information": screening.rests_on_unknown_information,
        "loan_amount": screening.loan_amount,
        "recommend_support": screening.recommend_support,
        "extension_months": screening.extension_months,
        "support_ends_on": screening.support_ends_on,
    }
    form = ScreeningForm(
        request.POST or None,
        initial=initial,
        screening=screening,
        meetings=meetings,
        basis_items=items,
        outcomes=services.allowed_outcomes(screening),
    )
    if request.method == "POST" and form.is_valid():
        by_pk = {m.pk: m for m in meetings}
        services.save_draft(
            actor=request.user,
            screening=screening,
            data=form.draft_data(),
            staff=list(form.cleaned_data["staff"]),
            scores=form.scores(),
            meetings=[by_pk[i] for i in form.cleaned_data["meetings"] if i in by_pk],
            basis_keys=form.cleaned_data["basis_items"],
            modules=form.modules(),
        )
        if "preview" in request.POST:
            return redirect("screening:preview", pk=case.pk, screening_pk=screening.pk)
        messages.success(request, _("Kladden er gemt. Du kan fortsætte senere."))
        return redirect("screening:edit", pk=case.pk, screening_pk=screening.pk)
    scheme = case.municipality.current_scheme()
    return render(
        request,
        "screening/screening_form.html",
        {
            "case": case,
            "screening": screening,
            "form": form,
            "scheme": scheme,
            # Screening 3 weighs the budgets: the loan need and realism at a glance.
            "budget": _budget_summary(case) if screening.number == 3 else None,
            "stability": _stability(case),
            "hearings": [
                h
                for h in selectors.hearings_for_case(case)
                if h.screening_id in (screening.pk, screening.replaces_id)
            ],
        },
    )


def _budget_summary(case):
    from applicants.selectors import budget_summary

    return budget_summary(case)


def _stability(case):
    from applicants.selectors import meeting_stability

    return meeting_stability(case)


def _letter_preview(screening) -> str:
    """The decision letter's body as it will be sent, for staff to read
    before deciding (no letter is saved)."""
    spec = screening.spec
    if spec is None or spec.letter_kind is None:
        return ""
    try:
        letter = build_letter(
            kind=spec.letter_kind,
            case=screening.case,
            author=None,
            context=decision_context(screening),
        )
    except ValueError:
        return ""
    from mikrolaan.letters.rendering import letter_template_context

    with translation.override("da"):
        context = letter_template_context(letter)
        return render_to_string("screening/includes/letter_preview.html", context)


@role_required(*STAFF_ROLES)
def screening_preview(request, pk, screening_pk):
    """The decision before it is taken: what is missing, the letter the
    citizen will get; the button that decides."""
    case = _get_case(pk)
    screening = _get_screening(case, screening_pk)
    if screening.is_decided:
        return redirect("screening:detail", pk=case.pk, screening_pk=screening.pk)
    if request.method == "POST":
        try:
            services.decide_screening(actor=request.user, screening=screening)
        except services.ScreeningRefused as exc:
            for reason in exc.reasons:
                messages.error(request, reason)
            return redirect("screening:preview", pk=case.pk, screening_pk=screening.pk)
        except ConcurrentTransition:
            messages.warning(request, conflict_message())
            return redirect("applicants:case_detail", pk=case.pk)
        messages.success(request, _("Screeningen er afgjort og registreret."))
        return redirect("applicants:case_detail", pk=case.pk)
    scheme = case.municipality.current_scheme()
    return render(
        request,
        "screening/screening_preview.html",
        {
            "case": case,
            "screening": screening,
            "problems": services.decision_problems(screening),
            "range_warning": services.loan_range_warning(screening, scheme),
            "letter_preview": _letter_preview(screening),
            "letter_kind": get_kind(screening.spec.letter_kind)
            if screening.spec and screening.spec.letter_kind
            else None,
        },
    )


@role_required(*STAFF_ROLES)
def screening_detail(request, pk, screening_pk):
    case = _get_case(pk)
    screening = _get_screening(case, screening_pk)
    scheme = case.municipality.current_scheme()
    return render(
        request,
        "screening/screening_detail.html",
        {
            "case": case,
            "screening": screening,
            "range_warning": services.loan_range_warning(screening, scheme),
            "replaced_by": Screening.objects.filter(replaces=screening).first(),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def screening_correct(request, pk, screening_pk):
    case = _get_case(pk)
    screening = _get_screening(case, screening_pk)
    try:
        correction = services.start_screening(actor=request.user, case=case, replaces=screening)
    except services.ScreeningRefused as exc:
        messages.error(request, " ".join(exc.reasons))
        return redirect("screening:detail", pk=case.pk, screening_pk=screening.pk)
    messages.info(
        request,
        _("En rettelse er oprettet som kladde. Den oprindelige screening ændres ikke."),
    )
    return redirect("screening:edit", pk=case.pk, screening_pk=correction.pk)


@role_required(*STAFF_ROLES)
def assessment_pdf(request, pk, screening_pk):
    """The internal "vurdering og indstilling" of screening 3 (staff only)."""
    case = _get_case(pk)
    screening = _get_screening(case, screening_pk)
    if screening.number != Number.THIRD:
        raise Http404
    scheme = case.municipality.current_scheme()
    with translation.override("da"):
        html = render_to_string(
            "screening/assessment_pdf.html",
            {
                "case": case,
                "citizen": case.citizen,
                "screening": screening,
                "scheme": scheme,
                "range_warning": services.loan_range_warning(screening, scheme),
                "stability": _stability(case),
                "now": timezone.localtime(),
            },
        )
    pdf = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="vurdering-og-indstilling-{case.case_number}.pdf"'
    )
    return response


# --- hearings -------------------------------------------------------------------------


def _hearing_target(request, case):
    """The screening draft (?screening=ID), else the end of the case."""
    raw = request.GET.get("screening")
    if raw is None:
        return None, HearingPurpose.END_CASE
    if not raw.isdigit():
        raise Http404
    return _get_screening(case, int(raw)), HearingPurpose.SCREENING


def _hearing_page(request, pk, *, form, record, done, title):
    """A hearing page (send one, or record the exception): the form, the
    service that records it, the message when done, the page's title."""
    case = _get_case(pk)
    screening, purpose = _hearing_target(request, case)
    form = form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record(
                actor=request.user,
                case=case,
                screening=screening,
                purpose=purpose,
                **form.cleaned_data,
            )
        except services.ScreeningRefused as exc:
            form.add_error(None, " ".join(exc.reasons))
        else:
            messages.success(request, done)
            return _back(case, screening)
    return render(
        request,
        "screening/hearing_form.html",
        {"case": case, "form": form, "screening": screening, "purpose": purpose, "title": title},
    )


@role_required(*STAFF_ROLES)
@open_case_only
def hearing_create(request, pk):
    return _hearing_page(
        request,
        pk,
        form=lambda data: HearingForm(data, initial={"deadline": services.default_deadline()}),
        record=services.send_hearing,
        done=_("Partshøringen er sendt til borgeren."),
        title=_("Send en partshøring"),
    )


@role_required(*STAFF_ROLES)
@open_case_only
def hearing_exception(request, pk):
    return _hearing_page(
        request,
        pk,
        form=HearingExceptionForm,
        record=services.record_hearing_exception,
        done=_("Undtagelsen er registreret på sagen."),
        title=_("Afgørelse uden partshøring"),
    )


@role_required(*STAFF_ROLES)
@open_case_only
def hearing_comments(request, pk, hearing_pk):
    case = _get_case(pk)
    hearing = get_object_or_404(Hearing, pk=hearing_pk, case=case)
    form = HearingCommentsForm(
        request.POST or None,
        initial={"received_on": timezone.localdate(), "channel": Channel.PHONE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.register_hearing_comments(
                actor=request.user,
                hearing=hearing,
                comments=form.cleaned_data["comments"],
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
            )
        except services.ScreeningRefused as exc:
            form.add_error(None, " ".join(exc.reasons))
        else:
            messages.success(request, _("Borgerens bemærkninger er registreret."))
            return _back(case, hearing.screening)
    return render(
        request,
        "screening/hearing_form.html",
        {
            "case": case,
            "form": form,
            "hearing": hearing,
            "screening": hearing.screening,
            "purpose": hearing.purpose,
            "title": _("Registrér borgerens bemærkninger"),
        },
    )


def _back(case, screening):
    if screening is not None and not screening.is_decided:
        return redirect("screening:edit", pk=case.pk, screening_pk=screening.pk)
    return redirect("applicants:case_detail", pk=case.pk)


@role_required(Role.CITIZEN)
def portal_hearing(request, hearing_pk):
    """The citizen answers a hearing in the portal: the information they were
    sent, the deadline, a text box."""
    hearing = (
        Hearing.objects.filter(pk=hearing_pk, case__citizen__user=request.user)
        .select_related("case")
        .first()
    )
    if hearing is None or hearing.is_exception or hearing.case.stage in CLOSED_STAGES:
        raise Http404
    form = PortalHearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not hearing.answered:
        try:
            services.register_hearing_comments(
                actor=request.user,
                hearing=hearing,
                comments=form.cleaned_data["comments"],
                channel=Channel.PORTAL,
            )
        except services.ScreeningRefused as exc:
            form.add_error(None, " ".join(exc.reasons))
        else:
            messages.success(
                request, _("Tak. Vi har modtaget dine bemærkninger, og de indgår i vurderingen.")
            )
            return redirect("home")
    return render(request, "screening/portal_hearing.html", {"hearing": hearing, "form": form})


# --- criteria (team lead) ---------------------------------------------------------------


@role_required(Role.TEAM_LEAD)
def criteria_list(request):
    municipality = request_municipality(request)
    for number in Number.values:
        services.criteria_for(municipality.pk, number)
    criteria = Criterion.objects.order_by("number", "position", "pk")
    return render(request, "screening/criteria_list.html", {"criteria": criteria})


@role_required(Role.TEAM_LEAD)
def criterion_edit(request, criterion_pk=None):
    criterion = get_object_or_404(Criterion, pk=criterion_pk) if criterion_pk else None
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        services.save_criterion(
            actor=request.user,
            criterion=criterion,
            municipality_id=request_municipality(request).pk,
            data=form.cleaned_data,
        )
        messages.success(
            request,
            _(
                "Kriteriet er gemt. Allerede scorede screeninger beholder "
                "den tekst, de blev scoret efter."
            ),
        )
        return redirect("screening:criteria")
    return render(
        request,
        "applicants/form_page.html",
        {"form": form, "title": _("Ret kriterium") if criterion else _("Nyt kriterium")},
    )
