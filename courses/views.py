"""Pages of the courses. Thin: role and object checks, a form, a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants.models import CLOSED_STAGES, Case, Stage
from applicants.views import _get_case
from mikrolaan.roles import ALL_ROLES, STAFF_ROLES, Role, has_role, role_required
from mikrolaan.tenancy import request_municipality, scoped_to

from . import calendar, selectors, services
from .forms import (
    AnswerForm,
    CancelForm,
    CohortForm,
    InviteForm,
    MatchForm,
    MentorForm,
    MentorMeetingForm,
    ModuleForm,
    ObservationForm,
    RegisterForm,
    SessionForm,
    SettingsForm,
)
from .models import (
    CalendarFeed,
    Cohort,
    Enrolment,
    Mentor,
    MentorMatch,
    Module,
    ModuleKind,
    NetworkInvitation,
    Session,
)


def _municipality_id(request) -> int:
    municipality = request_municipality(request)
    if municipality is None:
        raise Http404
    return municipality.pk


# --- the catalogue (team lead) ------------------------------------------------------------


@role_required(Role.TEAM_LEAD)
def module_list(request):
    municipality_id = _municipality_id(request)
    current = services.settings_for(municipality_id)
    form = SettingsForm(request.POST or None, initial={"excused_absence": current.excused_absence})
    if request.method == "POST" and form.is_valid():
        services.save_settings(
            actor=request.user,
            municipality_id=municipality_id,
            excused_absence=form.cleaned_data["excused_absence"],
        )
        messages.success(request, _("Indstillingen er gemt."))
        return redirect("courses:modules")
    return render(
        request,
        "courses/module_list.html",
        {"modules": services.modules_for(municipality_id), "form": form},
    )


@role_required(Role.TEAM_LEAD)
def module_edit(request, module_pk=None):
    municipality_id = _municipality_id(request)
    services.modules_for(municipality_id)
    module = get_object_or_404(Module, pk=module_pk) if module_pk else None
    initial = {}
    if module is not None:
        initial = {
            f: getattr(module, f)
            for f in ("key", "title", "kind", "length", "description", "position", "active")
        }
    form = ModuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_module(
                actor=request.user,
                module=module,
                municipality_id=municipality_id,
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Modulet er gemt."))
            return redirect("courses:modules")
    return render(request, "courses/module_form.html", {"form": form, "module": module})


# --- cohorts ------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def cohort_list(request):
    return render(
        request,
        "courses/cohort_list.html",
        {"cohorts": selectors.cohorts(), "network_days": selectors.network_days()[:10]},
    )


@role_required(*STAFF_ROLES)
def cohort_edit(request, pk=None):
    cohort = get_object_or_404(Cohort, pk=pk) if pk else None
    initial = {}
    if cohort is not None:
        initial = {
            "programme": cohort.programme_id,
            "name": cohort.name,
            "start_date": cohort.start_date,
            "place": cohort.place,
        }
    form = CohortForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.save_cohort(actor=request.user, cohort=cohort, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Holdet er gemt."))
            return redirect("courses:cohort", pk=cohort.pk)
    return render(request, "courses/cohort_form.html", {"form": form, "cohort": cohort})


@role_required(*STAFF_ROLES)
def cohort_detail(request, pk):
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)
    page = selectors.cohort_page(cohort)
    grants, _more = selectors.seatless_grants(limit=200)
    today = timezone.localdate()
    plan = _phase_plan(cohort)
    return render(
        request,
        "courses/cohort_detail.html",
        {
            "cohort": cohort,
            "sessions": page["sessions"],
            "participants": page["participants"],
            "grants": grants,
            "week": cohort.week_of(today),
            "plan": plan,
            "now": timezone.now(),
        },
    )


def _phase_plan(cohort) -> list[dict]:
    """The handbook's phases as dates, counted from the cohort's week 1."""
    import datetime

    from applicants.models import PHASES, default_week_plan

    plan = cohort.programme.week_plan or default_week_plan()
    rows = []
    for key, (label, _stages) in PHASES.items():
        first, last = plan.get(key, default_week_plan()[key])
        rows.append(
            {
                "label": label,
                "first": first,
                "last": last,
                "from": cohort.start_date + datetime.timedelta(weeks=first - 1),
                "to": cohort.start_date + datetime.timedelta(weeks=last, days=-1) if last else None,
            }
        )
    return rows


@require_POST
@role_required(*STAFF_ROLES)
def cohort_enrol(request, pk):
    """Seat the chosen grants on the cohort (checkboxes on the cohort page)."""
    from screening.models import CourseGrant

    cohort = get_object_or_404(Cohort, pk=pk)
    ids = [int(i) for i in request.POST.getlist("grants") if i.isdigit()]
    grants = list(CourseGrant.objects.filter(pk__in=ids))
    if not grants:
        messages.error(request, _("Vælg mindst ét bevilget modul."))
        return redirect("courses:cohort", pk=cohort.pk)
    try:
        seats = services.enrol_grants(actor=request.user, cohort=cohort, grants=grants)
    except services.CoursesRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s pladser er oprettet.") % {"n": len(seats)})
    return redirect("courses:cohort", pk=cohort.pk)


# --- sessions -----------------------------------------------------------------------------


def _session_modules(municipality_id, *, network=False):
    services.modules_for(municipality_id)
    qs = Module.objects.filter(active=True)
    if network:
        return qs.filter(kind=ModuleKind.NETWORK_DAY)
    return qs.exclude(kind=ModuleKind.NETWORK_DAY)


@role_required(*STAFF_ROLES)
def session_create(request, pk=None):
    """A session of a cohort (``pk``) or, without one, a network day."""
    cohort = get_object_or_404(Cohort, pk=pk) if pk else None
    municipality_id = _municipality_id(request)
    modules = _session_modules(municipality_id, network=cohort is None)
    initial = {"place": cohort.place if cohort else ""}
    if cohort is None:
        initial["module"] = modules.first()
    form = SessionForm(request.POST or None, modules=modules, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.save_session(
                actor=request.user, cohort=cohort, data=form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Kursusgangen er planlagt."))
            return redirect("courses:session", pk=session.pk)
    return render(
        request, "courses/session_form.html", {"form": form, "cohort": cohort, "session": None}
    )


def _get_session(pk) -> Session:
    return get_object_or_404(Session.objects.select_related("module", "cohort"), pk=pk)


@role_required(*STAFF_ROLES)
def session_edit(request, pk):
    session = _get_session(pk)
    if session.is_cancelled:
        messages.error(request, _("Kursusgangen er aflyst og kan ikke ændres."))
        return redirect("courses:session", pk=session.pk)
    modules = _session_modules(session.municipality_id, network=session.module.is_network_day)
    initial = {f: getattr(session, f) for f in services.SESSION_FIELDS}
    initial["module"] = session.module_id
    form = SessionForm(
        request.POST or None,
        modules=modules,
        initial=initial,
        submit=_("Gem (deltagerne får brev, hvis tid eller sted ændres)"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_session(actor=request.user, session=session, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except services.CoursesRefused as exc:
            messages.error(request, str(exc))
            return redirect("courses:session", pk=session.pk)
        else:
            messages.success(request, _("Kursusgangen er gemt."))
            return redirect("courses:session", pk=session.pk)
    return render(
        request,
        "courses/session_form.html",
        {"form": form, "cohort": session.cohort, "session": session},
    )


@role_required(*STAFF_ROLES)
def session_cancel(request, pk):
    session = _get_session(pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except services.CoursesRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Kursusgangen er aflyst. Deltagerne får et brev."))
        return redirect("courses:session", pk=session.pk)
    return render(request, "courses/session_cancel.html", {"form": form, "session": session})


@role_required(*STAFF_ROLES)
def session_detail(request, pk):
    """The session and its attendance register: one grid, one POST."""
    session = _get_session(pk)
    rows = selectors.register_rows(session)
    case_ids = [r["case"].pk for r in rows]
    initial = {}
    for r in rows:
        record = r["record"]
        initial[f"mark-{r['case'].pk}"] = record.mark if record else ""
        initial[f"note-{r['case'].pk}"] = record.note if record else ""
    form = RegisterForm(request.POST or None, case_ids=case_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(actor=request.user, session=session, marks=form.marks())
        except services.CoursesRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Fremmødet er gemt."))
            return redirect("courses:session", pk=session.pk)
    for r in rows:
        r["mark_field"] = form[f"mark-{r['case'].pk}"]
        r["note_field"] = form[f"note-{r['case'].pk}"]
    context = {
        "session": session,
        "rows": rows,
        "form": form,
        "can_register": not session.is_cancelled
        and timezone.localtime(session.starts_at).date() <= timezone.localdate(),
    }
    if session.module.is_network_day:
        invited = {
            i.case_id: i
            for i in NetworkInvitation.objects.filter(session=session).select_related(
                "case__citizen"
            )
        }
        context["invitations"] = list(invited.values())
        candidates = _invite_candidates(session, invited)
        context["invite_form"] = InviteForm(cases=candidates) if candidates else None
    return render(request, "courses/session_detail.html", context)


# Network days are for the borrowers on courses and after (handbook: week 32 ff.).
INVITED_STAGES = [
    Stage.COURSES,
    Stage.SCREENING_3,
    Stage.ESTABLISHMENT,
    Stage.RUNNING,
    Stage.SCREENING_4,
]


def _invite_candidates(session, invited) -> list[Case]:
    return list(
        Case.objects.filter(stage__in=[str(s) for s in INVITED_STAGES])
        .exclude(pk__in=list(invited))
        .select_related("citizen", "responsible")
        .order_by("citizen__last_name", "citizen__first_name", "pk")
    )


@require_POST
@role_required(*STAFF_ROLES)
def session_invite(request, pk):
    session = _get_session(pk)
    invited = set(
        NetworkInvitation.objects.filter(session=session).values_list("case_id", flat=True)
    )
    candidates = _invite_candidates(session, invited)
    form = InviteForm(request.POST, cases=candidates)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("courses:session", pk=session.pk)
    chosen = [c for c in candidates if c.pk in set(form.cleaned_data["cases"])]
    try:
        made = services.invite_to_network_day(actor=request.user, session=session, cases=chosen)
    except services.CoursesRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s invitationer er sendt.") % {"n": len(made)})
    return redirect("courses:session", pk=session.pk)


@role_required(*STAFF_ROLES)
def observation_edit(request, pk):
    seat = get_object_or_404(
        Enrolment.objects.select_related("case__citizen", "cohort", "module"),
        pk=pk,
        module__kind=ModuleKind.RESIDENTIAL,
    )
    form = ObservationForm(request.POST or None, initial={"observation": seat.observation})
    if request.method == "POST" and form.is_valid():
        services.save_observation(
            actor=request.user, enrolment=seat, text=form.cleaned_data["observation"]
        )
        messages.success(request, _("Observationerne er gemt."))
        return redirect("courses:cohort", pk=seat.cohort_id)
    return render(request, "courses/observation_form.html", {"form": form, "seat": seat})


@role_required(*STAFF_ROLES)
def network_day_list(request):
    return render(
        request, "courses/network_day_list.html", {"network_days": selectors.network_days()}
    )


# --- mentors ------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def mentor_list(request):
    mentors = Mentor.objects.select_related("user").order_by("-active", "name", "pk")
    matches = {}
    for m in (
        MentorMatch.objects.filter(ended_on__isnull=True)
        .select_related("case__citizen")
        .order_by("pk")
    ):
        matches.setdefault(m.mentor_id, []).append(m)
    mentors = list(mentors)
    for mentor in mentors:
        mentor.current_matches = matches.get(mentor.pk, [])
    return render(request, "courses/mentor_list.html", {"mentors": mentors})


@role_required(*STAFF_ROLES)
def mentor_edit(request, pk=None):
    mentor = get_object_or_404(Mentor, pk=pk) if pk else None
    initial = {}
    if mentor is not None:
        initial = {
            f: getattr(mentor, f)
            for f in ("name", "trade", "email", "phone", "availability", "active")
        }
        initial["user"] = mentor.user_id
    form = MentorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mentor(
                actor=request.user,
                mentor=mentor,
                municipality_id=_municipality_id(request),
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Mentoren er gemt."))
            return redirect("courses:mentors")
    return render(request, "courses/mentor_form.html", {"form": form, "mentor": mentor})


def suggested_mentors(case):
    """Active mentors, those whose trade matches the case's first."""
    mentors = list(Mentor.objects.filter(active=True).order_by("name", "pk"))
    industry = (case.industry or "").strip().lower()
    words = {w for w in industry.replace(",", " ").split() if len(w) > 2}

    def matches(m):
        trade = m.trade.lower()
        return bool(industry) and (
            industry in trade or trade in industry or any(w in trade for w in words)
        )

    for m in mentors:
        m.suggested = matches(m)
    return sorted(mentors, key=lambda m: (not m.suggested, m.name, m.pk))


@role_required(*STAFF_ROLES)
def case_mentor(request, case_pk):
    """Match a borrower to a mentor: suggestions by trade first."""
    case = _get_case(case_pk)
    if case.stage in CLOSED_STAGES:
        messages.error(request, _("Forløbet er afsluttet."))
        return redirect("applicants:case_detail", pk=case.pk)
    mentors = suggested_mentors(case)
    form = MatchForm(
        request.POST or None,
        mentors=Mentor.objects.filter(active=True).order_by("name", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_mentor(
                actor=request.user, case=case, mentor=form.cleaned_data["mentor"]
            )
        except services.CoursesRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Borgeren er koblet til mentoren."))
            return redirect("courses:match", pk=match.pk)
    return render(
        request,
        "courses/case_mentor.html",
        {"case": case, "mentors": mentors, "form": form, "current": selectors.current_match(case)},
    )


def _get_match_for(request, pk) -> MentorMatch:
    """Staff see every match; a mentor only their own (others: 404)."""
    qs = MentorMatch.objects.select_related("mentor", "case__citizen")
    if not has_role(request.user, *STAFF_ROLES):
        qs = qs.filter(mentor__user=request.user, mentor__active=True, ended_on__isnull=True)
    return get_object_or_404(qs, pk=pk)


@role_required(*STAFF_ROLES, Role.MENTOR)
def match_detail(request, pk):
    """A mentee and the meetings with their mentor. A mentor sees name,
    business and meetings — nothing else of the case."""
    match = _get_match_for(request, pk)
    form = MentorMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if match.ended_on is not None:
            messages.error(request, _("Koblingen er afsluttet."))
        else:
            services.log_mentor_meeting(actor=request.user, match=match, data=form.cleaned_data)
            messages.success(request, _("Mødet er gemt."))
        return redirect("courses:match", pk=match.pk)
    return render(
        request,
        "courses/match_detail.html",
        {
            "match": match,
            "meetings": list(match.meetings.order_by("-starts_at", "-pk")),
            "form": form,
            "is_staff": has_role(request.user, *STAFF_ROLES),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def match_end(request, pk):
    match = get_object_or_404(MentorMatch, pk=pk)
    services.end_match(actor=request.user, match=match)
    messages.success(request, _("Koblingen er afsluttet."))
    return redirect("courses:match", pk=match.pk)


# --- the calendar feed ---------------------------------------------------------------------


@role_required(*ALL_ROLES)
def calendar_settings(request):
    feed = services.feed_for(request.user)
    url = request.build_absolute_uri(calendar.feed_path(feed))
    template = (
        "courses/portal_calendar.html"
        if has_role(request.user, Role.CITIZEN) and not has_role(request.user, *STAFF_ROLES)
        else "courses/calendar.html"
    )
    return render(request, template, {"feed_url": url, "feed": feed})


@require_POST
@role_required(*ALL_ROLES)
def calendar_revoke(request):
    services.revoke_feed(user=request.user)
    messages.success(
        request, _("Kalenderen har fået en ny adresse. Den gamle virker ikke længere.")
    )
    return redirect("courses:calendar")


def calendar_feed(request, token):
    """The secret address: no sign-in, the token is the key. Runs in the
    municipality of the feed's owner."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    from mikrolaan.tenancy import user_municipality_id

    with scoped_to(user_municipality_id(feed.user)):
        body = calendar.build_feed(feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mikrolaan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@role_required(*STAFF_ROLES, Role.CITIZEN)
def runsheet_pdf(request, pk):
    """A network day's run-sheet (drejebog) as a PDF: for the team, and for
    a citizen invited to the day (anyone else: 404)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from mikrolaan.letters.rendering import html_to_pdf

    session = _get_session(pk)
    if not session.module.is_network_day:
        raise Http404
    if not has_role(request.user, *STAFF_ROLES):
        invited = NetworkInvitation.objects.filter(
            session=session, case__citizen__user=request.user
        ).exists()
        if not invited:
            raise Http404
    with translation.override("da"):
        html = render_to_string(
            "courses/runsheet_pdf.html",
            {"session": session, "municipality": request_municipality(request)},
        )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="drejebog-{session.pk}.pdf"'
    return response


# --- the citizen's portal ------------------------------------------------------------------


def _portal_case(request) -> Case:
    case = (
        Case.objects.filter(citizen__user=request.user)
        .exclude(stage__in=[str(s) for s in CLOSED_STAGES])
        .select_related("citizen")
        .first()
    )
    if case is None:
        raise Http404
    return case


@role_required(Role.CITIZEN)
def portal_sessions(request):
    """The citizen's coming sessions and network days (DKFDS)."""
    case = _portal_case(request)
    coming = selectors.coming_sessions(case)
    return render(
        request,
        "courses/portal_sessions.html",
        {"case": case, "sessions": coming["sessions"], "invitations": coming["invitations"]},
    )


@role_required(Role.CITIZEN)
def portal_answer(request, pk):
    case = _portal_case(request)
    invitation = get_object_or_404(
        NetworkInvitation.objects.select_related("session__module"), pk=pk, case=case
    )
    form = AnswerForm(request.POST or None, initial={"answer": invitation.answer or None})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_invitation(
                actor=request.user, invitation=invitation, answer=form.cleaned_data["answer"]
            )
        except services.CoursesRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Tak for dit svar."))
        return redirect("courses:portal_sessions")
    error_items = [
        {"href": f"#{form[name].auto_id}_0", "message": message}
        for name, errs in form.errors.items()
        if name in form.fields
        for message in errs
    ]
    return render(
        request,
        "courses/portal_answer.html",
        {
            "invitation": invitation,
            "form": form,
            "error_items": error_items,
            "page_has_errors": bool(error_items),
        },
    )
