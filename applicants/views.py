"""Pages of the pipeline. Thin: role and object checks, a form, a service."""

import functools
import re
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from mikrolaan.audit import log_access, record_event
from mikrolaan.exports import csv_response
from mikrolaan.letters.selectors import letters_for_case
from mikrolaan.roles import STAFF_ROLES, Role, role_required

from . import selectors, services
from .case_list_table import case_list_rows
from .case_sections import case_sections
from .coming import coming_for_case
from .cpr import format_cpr, mask_cpr
from .forms import (
    CaseDetailsForm,
    CaseFilterForm,
    CitizenForm,
    IntakeForm,
    MeetingCancelForm,
    MeetingMoveForm,
    MeetingPlanForm,
    MeetingRecordForm,
    PhoneInterviewForm,
    ProgrammeForm,
    TransitionForm,
    WithdrawForm,
)
from .models import (
    CLOSED_STAGES,
    Attendance,
    Case,
    Meeting,
    MeetingKind,
    Programme,
    Source,
    Stage,
)
from .portal.conditions import PERSON_PROFILE_LABEL
from .portal.selectors import forms_for_case as portal_forms_for_case


def conflict_message() -> str:
    return _("Forløbet er lige blevet ændret af en anden. Siden er opdateret – prøv igen.")


def _get_case(pk) -> Case:
    try:
        return selectors.case_for_page(pk)
    except Case.DoesNotExist:
        raise Http404 from None


def open_case_only(view):
    """For pages that record something on a case: a closed case (self-supporting,
    declined, withdrawn) is sent back to its page with a message instead of
    opening a form that cannot be saved. A missing case is left to the view."""

    @functools.wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        stage = Case.objects.filter(pk=pk).values_list("stage", flat=True).first()
        if stage in CLOSED_STAGES:
            messages.error(
                request,
                _("Forløbet er afsluttet (%(stage)s). Der kan ikke registreres mere på det.")
                % {"stage": Stage(stage).label},
            )
            return redirect("applicants:case_detail", pk=pk)
        return view(request, pk, *args, **kwargs)

    return wrapper


# --- the case list --------------------------------------------------------------


@role_required(*STAFF_ROLES)
def case_list(request):
    if request.method == "POST" or _cpr_like(request.GET.get("q", "")):
        # The search text goes into the session, never into a URL: a CPR
        # number in a URL ends up in server logs and browser history.
        return redirect(f"{reverse('applicants:case_list')}?{_stash_search(request).urlencode()}")
    data = _search_data(request)
    form = CaseFilterForm(data or None)
    qs = selectors.case_list(**form.filters())
    # Paginate ids (an index scan on the case table), then join only the page's rows.
    page = Paginator(qs.values_list("pk", flat=True), 50).get_page(request.GET.get("side"))
    params = request.GET.copy()
    params.pop("side", None)
    cases = selectors.case_rows(list(page.object_list))
    return render(
        request,
        "applicants/case_list.html",
        {
            "form": form,
            "page": page,
            "cases": cases,
            "rows": case_list_rows(cases),
            "querystring": params.urlencode(),
        },
    )


SEARCH_SESSION_KEY = "case_searches"
MAX_STASHED_SEARCHES = 20


def _cpr_like(text: str) -> bool:
    """Six digits in a row: a birth date, so (part of) a CPR number. Case
    numbers (751-2026-00042) never have six."""
    return re.search(r"\d{6}", text) is not None


def _stash_search(request) -> QueryDict:
    """The list's filters as URL parameters, the search text replaced by a
    token (``sq``) that points into the session."""
    source = request.POST if request.method == "POST" else request.GET
    params = QueryDict(mutable=True)
    for key in ("stage", "responsible", "source", "programme"):
        if source.get(key):
            params[key] = source[key]
    q = source.get("q", "").strip()
    if q:
        searches = dict(request.session.get(SEARCH_SESSION_KEY, {}))
        token = secrets.token_urlsafe(6)
        searches[token] = q
        request.session[SEARCH_SESSION_KEY] = dict(list(searches.items())[-MAX_STASHED_SEARCHES:])
        params["sq"] = token
    return params


def _search_data(request) -> QueryDict:
    """The GET parameters with the session's search text put back as ``q``."""
    data = request.GET.copy()
    token = data.pop("sq", [None])[0]
    if token:
        data["q"] = request.session.get(SEARCH_SESSION_KEY, {}).get(token, "")
    return data


@role_required(*STAFF_ROLES)
def case_export(request):
    """The filtered list as CSV (mikrolaan.exports: semicolons, formulas
    neutralised); CPR masked."""
    data = _search_data(request)
    form = CaseFilterForm(data or None)
    qs = selectors.case_list(**form.filters())
    audit_data = {k: str(v) for k, v in data.items()}
    if _cpr_like(audit_data.get("q", "")):
        audit_data["q"] = "CPR-søgning"  # the audit trail is kept for years: no CPR in it
    record_event(actor=request.user, action="case_list.exported", data=audit_data)
    header = [
        _("Journalnummer"),
        _("Navn"),
        _("CPR-nummer"),
        _("Fase"),
        _("Kontaktperson"),
        _("Kilde"),
        _("Program"),
        _("Oprettet"),
    ]
    stages = {k: str(v) for k, v in Stage.choices}
    sources = {k: str(v) for k, v in Source.choices}
    rows = (
        [
            case.case_number,
            case.citizen.full_name,
            mask_cpr(case.citizen.cpr),
            stages[case.stage],
            case.responsible.get_full_name() if case.responsible else "",
            sources[case.source],
            case.programme.name,
            timezone.localtime(case.created_at).strftime("%Y-%m-%d"),
        ]
        for case in qs.iterator(chunk_size=2000)
    )
    return csv_response("forloeb.csv", header, rows)


# --- the case page ----------------------------------------------------------------


@role_required(*STAFF_ROLES)
def case_detail(request, pk):
    case = _get_case(pk)
    log_access(
        actor=request.user,
        subject=case.citizen,
        what=_("CPR-nummer og kontaktoplysninger på forløbssiden"),
        request=request,
    )
    meetings = selectors.meetings_for_case(case)
    letters = list(letters_for_case(case))
    interviews = selectors.phone_interviews_for_case(case)
    return render(
        request,
        "applicants/case_detail.html",
        {
            "case": case,
            "citizen": case.citizen,
            "full_cpr": format_cpr(case.citizen.cpr),
            "options": services.step_options(case, request.user),
            "meetings": meetings,
            "coming": coming_for_case(case, meetings),
            "stability": selectors.stability_of(meetings),
            "position": selectors.week_position(case),
            "timeline": selectors.case_timeline(case, meetings, letters, interviews),
            "phone_interview": interviews[0] if interviews else None,
            "letters": letters,
            "is_closed": case.stage in CLOSED_STAGES,
            "case_sections": case_sections(request, case),
            "portal_forms": portal_forms_for_case(case),
            # A blocked step shows a way past this condition for a citizen
            # who cannot use the portal.
            "person_profile_label": str(PERSON_PROFILE_LABEL),
        },
    )


@role_required(*STAFF_ROLES)
def citizen_edit(request, pk):
    case = _get_case(pk)
    citizen = case.citizen
    if request.method == "POST":
        form = CitizenForm(request.POST, instance=citizen)
        if form.is_valid():
            services.update_citizen(actor=request.user, citizen=citizen, data=form.cleaned_data)
            messages.success(request, _("Borgerens oplysninger er gemt."))
            return redirect("applicants:case_detail", pk=case.pk)
        # The form keeps what was typed; reload the citizen so the page never
        # shows half-applied values.
        case.citizen.refresh_from_db()
    else:
        log_access(
            actor=request.user,
            subject=citizen,
            what=_("Borgerens oplysninger (rettes)"),
            request=request,
        )
        form = CitizenForm(instance=citizen, initial={"cpr": format_cpr(citizen.cpr)})
    return render(
        request,
        "applicants/form_page.html",
        {"form": form, "case": case, "title": _("Ret borgerens oplysninger")},
    )


@role_required(*STAFF_ROLES)
@open_case_only
def case_edit(request, pk):
    case = _get_case(pk)
    initial = {
        "responsible": case.responsible,
        "benefit_type": case.benefit_type,
        "business_idea": case.business_idea,
        "industry": case.industry,
    }
    form = CaseDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_case_details(actor=request.user, case=case, data=form.cleaned_data)
        messages.success(request, _("Forløbets oplysninger er gemt."))
        return redirect("applicants:case_detail", pk=case.pk)
    return render(
        request,
        "applicants/form_page.html",
        {"form": form, "case": case, "title": _("Ret forløbets oplysninger")},
    )


# --- intake: inquiry and referral ---------------------------------------------------


def _duplicate_message(request, existing: Case, *, staff: bool):
    if staff:
        url = reverse("applicants:case_detail", args=[existing.pk])
        return format_html(
            '{} <a href="{}">{}</a>',
            _("Borgeren har allerede et åbent forløb."),
            url,
            _("Gå til forløb %(number)s") % {"number": existing.case_number},
        )
    if existing.referring_caseworker_id == request.user.pk:
        url = reverse("applicants:referral_status", args=[existing.pk])
        return format_html(
            '{} <a href="{}">{}</a>',
            _("Du har allerede henvist borgeren, og forløbet er åbent."),
            url,
            _("Se status"),
        )
    return _(
        "Borgeren har allerede et åbent forløb hos mikrolånsteamet. Kontakt teamet, "
        "hvis du har nye oplysninger."
    )


def _split_intake(data: dict) -> tuple[dict, dict]:
    citizen = {k: data[k] for k in services.CITIZEN_FIELDS}
    case = {k: data.get(k, "") for k in services.CASE_FIELDS}
    return citizen, case


@role_required(*STAFF_ROLES)
def inquiry_create(request):
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citizen_data, case_data = _split_intake(form.cleaned_data)
        try:
            case = services.register_inquiry(
                actor=request.user,
                citizen_data=citizen_data,
                case_data=case_data,
                responsible=form.cleaned_data.get("responsible") or request.user,
                programme=form.cleaned_data.get("programme"),
            )
        except services.DuplicateOpenCase as exc:
            form.add_error("cpr", _duplicate_message(request, exc.case, staff=True))
        except IntegrityError:
            form.add_error("cpr", _("Borgeren blev lige oprettet af en anden. Prøv igen."))
        else:
            messages.success(
                request, _("Henvendelsen er registreret som %(n)s.") % {"n": case.case_number}
            )
            return redirect("applicants:case_detail", pk=case.pk)
    return render(
        request,
        "applicants/form_page.html",
        {
            "form": form,
            "title": _("Registrér en henvendelse"),
            "intro": _("En borger har selv henvendt sig om mikrolån."),
        },
    )


@role_required(Role.CASEWORKER)
def referral_create(request):
    """The referral in two steps: the form, then "Tjek dine svar" with a link
    back to change each answer; only the second step sends it. A duplicate
    is found already at the check, before the caseworker confirms."""
    form = IntakeForm(request.POST or None, referral=True)
    confirmed = request.method == "POST" and "confirm" in request.POST
    editing = request.method == "POST" and "edit" in request.POST
    if request.method == "POST" and not editing and form.is_valid():
        citizen_data, case_data = _split_intake(form.cleaned_data)
        existing = services.open_case_for_cpr(
            citizen_data["cpr"], municipality=services.municipality_of(request.user)
        )
        if existing is not None:
            form.add_error("cpr", _duplicate_message(request, existing, staff=False))
        elif not confirmed:
            return render(
                request,
                "applicants/referral_check.html",
                {"form": form, "answers": _answers(form), "title": _("Tjek dine svar")},
            )
        else:
            try:
                services.refer_citizen(
                    caseworker=request.user, citizen_data=citizen_data, case_data=case_data
                )
            except services.DuplicateOpenCase as exc:
                form.add_error("cpr", _duplicate_message(request, exc.case, staff=False))
            except IntegrityError:
                form.add_error("cpr", _("Borgeren blev lige oprettet af en anden. Prøv igen."))
            else:
                messages.success(
                    request,
                    _("Tak. Borgeren er henvist, og mikrolånsteamet ringer til borgeren."),
                )
                return redirect("home")
    if editing:
        # Back from the check to change an answer: the form as it was typed,
        # without errors shown (it was valid a moment ago).
        form = IntakeForm(initial=request.POST.dict(), referral=True)
    return render(
        request,
        "applicants/form_page.html",
        {
            "form": form,
            "title": _("Henvis en borger til mikrolån"),
            "intro": _(
                "Henvis borgere med ressourcer og lyst til at starte egen virksomhed. "
                "Du kan tjekke dine svar, før henvisningen sendes. Bagefter kan du "
                "følge borgerens fase og næste møde."
            ),
        },
    )


def _answers(form) -> list[dict]:
    """The "Tjek dine svar" rows: label, the answer as typed (choices by
    their label), and the field's id to change it."""
    rows = []
    for bound in form:
        if bound.is_hidden:
            continue
        value = form.cleaned_data.get(bound.name)
        if hasattr(bound.field, "choices"):
            value = dict(bound.field.choices).get(value, value)
        elif bound.name == "cpr":
            value = format_cpr(value) if value else value
        rows.append(
            {"label": bound.label, "value": value, "name": bound.name, "id": bound.id_for_label}
        )
    return rows


@role_required(Role.CASEWORKER)
def referral_list(request):
    """Every citizen the caseworker referred, newest first, 50 a page."""
    page = Paginator(selectors.referrals_for_caseworker(request.user), 50).get_page(
        request.GET.get("side")
    )
    referrals = selectors.with_stage_labels(list(page.object_list))
    return render(request, "applicants/referral_list.html", {"page": page, "referrals": referrals})


@role_required(Role.CASEWORKER)
def referral_status(request, pk):
    """What a caseworker may see of a citizen they referred: name, stage, next meeting."""
    case = selectors.referrals_for_caseworker(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return render(request, "applicants/referral_status.html", {"case": case})


# --- phone interview and meetings --------------------------------------------------


@role_required(*STAFF_ROLES)
@open_case_only
def phone_interview_create(request, pk):
    case = _get_case(pk)
    form = PhoneInterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_phone_interview(actor=request.user, case=case, **form.answers())
        messages.success(request, _("Telefonsamtalen er gemt."))
        return redirect("applicants:case_detail", pk=case.pk)
    return render(
        request,
        "applicants/form_page.html",
        {"form": form, "case": case, "title": _("Registrér telefonsamtalen")},
    )


@role_required(*STAFF_ROLES)
@open_case_only
def meeting_create(request, pk):
    case = _get_case(pk)
    initial = {"staff": [request.user.pk]}
    if case.stage == Stage.FIRST_MEETING:
        initial["kind"] = MeetingKind.FIRST
    elif case.stage == Stage.SECOND_MEETING:
        initial["kind"] = MeetingKind.SECOND
    form = MeetingPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.plan_meeting(
            actor=request.user,
            case=case,
            kind=d["kind"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d["place"],
            staff=d["staff"],
            notes=d["notes"],
        )
        messages.success(request, _("Mødet er planlagt, og borgeren får en indkaldelse."))
        return redirect("applicants:case_detail", pk=case.pk)
    return render(
        request,
        "applicants/form_page.html",
        {"form": form, "case": case, "title": _("Planlæg et møde")},
    )


@role_required(*STAFF_ROLES)
@open_case_only
def meeting_record(request, pk, meeting_pk):
    case = _get_case(pk)
    meeting = get_object_or_404(Meeting.objects.prefetch_related("staff"), pk=meeting_pk, case=case)
    initial = {
        "attendance": meeting.attendance,
        "staff": [u.pk for u in meeting.staff.all()],
        "notes": meeting.notes,
        "next_steps": meeting.next_steps,
    }
    form = MeetingRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except services.TransitionRefused as exc:
            form.add_error("attendance", " ".join(exc.reasons))
        else:
            messages.success(request, _("Mødet er registreret."))
            return redirect("applicants:case_detail", pk=case.pk)
    return render(
        request,
        "applicants/form_page.html",
        {
            "form": form,
            "case": case,
            "meeting": meeting,
            "title": _("Registrér mødet"),
            "intro": f"{meeting.get_kind_display()} · "
            f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M} · {meeting.place}",
        },
    )


def _meeting_intro(meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    return f"{meeting.get_kind_display()} · {when:%d.%m.%Y %H:%M} · {meeting.place}"


def _changeable_meeting(request, case, meeting_pk):
    """The planned meeting, or None (with a message) when it can no longer be
    moved or cancelled."""
    meeting = get_object_or_404(Meeting, pk=meeting_pk, case=case)
    if meeting.attendance != Attendance.UNKNOWN or meeting.is_past:
        messages.error(request, _("Mødet er holdt, begyndt eller aflyst og kan ikke ændres."))
        return None
    return meeting


@role_required(*STAFF_ROLES)
@open_case_only
def meeting_move(request, pk, meeting_pk):
    case = _get_case(pk)
    meeting = _changeable_meeting(request, case, meeting_pk)
    if meeting is None:
        return redirect("applicants:case_detail", pk=case.pk)
    initial = {
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "place": meeting.place,
    }
    form = MeetingMoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except services.TransitionRefused as exc:
            form.add_error(None, " ".join(exc.reasons))
        else:
            messages.success(request, _("Mødet er flyttet, og borgeren får en ny indkaldelse."))
            return redirect("applicants:case_detail", pk=case.pk)
    return render(
        request,
        "applicants/form_page.html",
        {"form": form, "case": case, "title": _("Flyt mødet"), "intro": _meeting_intro(meeting)},
    )


@role_required(*STAFF_ROLES)
@open_case_only
def meeting_cancel(request, pk, meeting_pk):
    case = _get_case(pk)
    meeting = _changeable_meeting(request, case, meeting_pk)
    if meeting is None:
        return redirect("applicants:case_detail", pk=case.pk)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except services.TransitionRefused as exc:
            form.add_error(None, " ".join(exc.reasons))
        else:
            messages.success(request, _("Mødet er aflyst, og borgeren får et aflysningsbrev."))
            return redirect("applicants:case_detail", pk=case.pk)
    return render(
        request,
        "applicants/form_page.html",
        {"form": form, "case": case, "title": _("Aflys mødet"), "intro": _meeting_intro(meeting)},
    )


# --- transitions --------------------------------------------------------------------


def _refused(request, case, reasons):
    messages.error(
        request,
        format_html(
            "{}<ul class='mb-0'>{}</ul>",
            _("Forløbet kan ikke gå videre endnu. Det mangler:"),
            format_html("".join("<li>{}</li>" for _r in reasons), *reasons),
        ),
    )
    return redirect("applicants:case_detail", pk=case.pk)


@role_required(*STAFF_ROLES)
@open_case_only
def case_transition(request, pk, transition):
    """Every transition button of the case page posts here."""
    case = _get_case(pk)
    t = services.transition_options(case, transition)
    seen = request.POST.get("stage_seen") or request.GET.get("stage_seen") or case.stage
    if t is None:
        if seen != case.stage:
            messages.warning(request, conflict_message())
            return redirect("applicants:case_detail", pk=case.pk)
        raise Http404
    if not t.has_perm(case, request.user):
        raise PermissionDenied
    needs_reason = bool(t.custom.get("needs_reason"))
    decision = transition in services.ADVERSE_TRANSITIONS
    withdrawal = transition == "withdraw"
    form = TransitionForm(
        request.POST or None, needs_reason=needs_reason, decision=decision, withdrawal=withdrawal
    )
    context = {
        "case": case,
        "form": form,
        "transition": transition,
        "label": t.custom.get("label", transition),
        "stage_seen": case.stage,
    }
    if request.method != "POST":
        return render(request, "applicants/transition_confirm.html", context)
    if seen != case.stage:
        # The page the user acted on is out of date: someone else moved the case.
        messages.warning(request, conflict_message())
        return render(request, "applicants/transition_confirm.html", context)
    if not form.is_valid():
        return render(request, "applicants/transition_confirm.html", context)
    try:
        services.transition_case(
            case=case,
            transition=transition,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            data={
                k: form.cleaned_data[k] for k in ("facts", "initiated_by") if k in form.cleaned_data
            },
        )
    except services.TransitionRefused as exc:
        return _refused(request, case, exc.reasons)
    except ConcurrentTransition:
        case = _get_case(pk)
        messages.warning(request, conflict_message())
        if form.cleaned_data["reason"] and services.transition_options(case, transition):
            # Keep what the user typed: show the form again on the fresh case.
            context.update(case=case, stage_seen=case.stage)
            return render(request, "applicants/transition_confirm.html", context)
        return redirect("applicants:case_detail", pk=case.pk)
    messages.success(
        request, _("Forløbet er nu i fasen: %(stage)s.") % {"stage": case.get_stage_display()}
    )
    return redirect("applicants:case_detail", pk=case.pk)


# --- programmes ---------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def programme_list(request):
    return render(
        request,
        "applicants/programme_list.html",
        {"programmes": selectors.programmes_overview()},
    )


@role_required(Role.TEAM_LEAD)
def programme_create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_programme(
                actor=request.user,
                name=form.cleaned_data["name"],
                start_date=form.cleaned_data["start_date"],
                week_plan=form.week_plan(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("name" if field == "name" else None, errors)
        else:
            messages.success(request, _("Programmet er oprettet."))
            return redirect("applicants:programme_list")
    return render(
        request,
        "applicants/form_page.html",
        {
            "form": form,
            "title": _("Opret et program"),
            "intro": _(
                "Et program er en runde af tilbuddet. Ugerne tælles fra startdatoen (uge 1); "
                "standardværdierne er håndbogens."
            ),
        },
    )


@role_required(Role.TEAM_LEAD)
def programme_edit(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    form = ProgrammeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme(
                actor=request.user,
                programme=programme,
                name=form.cleaned_data["name"],
                start_date=form.cleaned_data["start_date"],
                week_plan=form.week_plan(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("name" if field == "name" else None, errors)
        else:
            messages.success(request, _("Programmet er gemt."))
            return redirect("applicants:programme_list")
    return render(
        request,
        "applicants/form_page.html",
        {
            "form": form,
            "title": _("Ret programmet %(name)s") % {"name": programme.name},
            "intro": _(
                "Ugerne tælles fra startdatoen (uge 1). Forløb på et hold tæller fra holdets uge 1."
            ),
        },
    )


# --- the citizen's portal -----------------------------------------------------------


@role_required(Role.CITIZEN)
def portal_withdraw(request):
    """'Træk mig fra forløbet': a confirmation page, then the withdraw transition."""
    portal = selectors.citizen_portal(request.user)
    case = portal["portal_case"]
    if case is None or case.stage in CLOSED_STAGES:
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transition_case(
                case=case,
                transition="withdraw",
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ConcurrentTransition:
            messages.warning(request, conflict_message())
            return redirect("applicants:portal_withdraw")
        except services.TransitionRefused as exc:
            messages.error(request, " ".join(exc.reasons))
            return redirect("home")
        messages.success(
            request,
            _(
                "Du er nu trådt ud af mikrolånsforløbet. Du får et brev, der bekræfter det. "
                "Du er altid velkommen til at kontakte os igen."
            ),
        )
        return redirect("home")
    error_items = [
        {"href": f"#{form[name].auto_id}", "message": message}
        for name, messages_ in form.errors.items()
        if name in form.fields
        for message in messages_
    ]
    return render(
        request,
        "applicants/portal_withdraw.html",
        {
            "case": case,
            "form": form,
            "error_items": error_items,
            "page_has_errors": bool(error_items),
        },
    )
