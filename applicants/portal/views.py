"""The citizen's portal (DKFDS pages) and the team's review of the forms.

Citizens: sign-in by a link sent by e-mail, the forms step by step with a
"Tjek dine svar" page, drafts saved as they type. Staff: the invitation from
the case page, the review page per form (versions, changes, comments,
accept or send back), the question texts (team lead). Both: attachments and
a submitted version as PDF."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from sesame.utils import get_user

from mikrolaan.audit import log_access
from mikrolaan.roles import STAFF_ROLES, Role, has_role, is_staff_member, role_required
from mikrolaan.tenancy import scoped_to, user_municipality_id
from mikrolaan.throttling import client_ip_address

from .. import selectors as case_selectors
from ..models import Case
from . import budget, selectors, services, texts
from .definitions import BY_SLUG, PERSON_PROFILE, FormDefinition
from .forms import (
    AttachmentForm,
    RegisterForCitizenForm,
    ReviewForm,
    SectionCommentForm,
    SignInForm,
    StepForm,
    raw_values,
)
from .models import Attachment, FormStatus, FormVersion, PortalForm

PENDING_KEY = "portal_pending_draft"


def _error_items(form, href_prefix="") -> list[dict]:
    """The error summary's lines: each links to its field."""
    items = [{"href": f"{href_prefix}#main-content", "message": e} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        for error in errors:
            items.append({"href": f"{href_prefix}#{form[name].auto_id}", "message": error})
    return items


def _with_errors(context: dict, items: list) -> dict:
    context["error_items"] = items
    context["page_has_errors"] = bool(items)
    return context


# --- sign-in -------------------------------------------------------------------------


def sign_in(request):
    if has_role(request.user, Role.CITIZEN):
        return redirect("home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_sign_in_link(
            email=form.cleaned_data["email"], ip_address=client_ip_address(request) or ""
        )
        return redirect("portal:sign_in_sent")
    return render(
        request,
        "portal/sign_in.html",
        {
            "form": form,
            "methods": settings.PORTAL_SIGN_IN_METHODS,
            "timed_out": "udlogget" in request.GET,
        },
    )


def sign_in_sent(request):
    return render(request, "portal/sign_in_sent.html", {"minutes": settings.PORTAL_LINK_MINUTES})


def link(request):
    """GET shows a button; only the POST uses the link, so that a mail
    program that opens links to check them does not use it up."""
    token = request.GET.get(settings.SESAME_TOKEN_NAME, "")
    if request.method != "POST":
        return render(request, "portal/link.html", {"token": token})
    # The form posts back to the same address, token and all; sesame checks
    # it (signature, age, not used before) and Axes counts a bad one.
    user = get_user(request) if token else None
    if user is None or not has_role(user, Role.CITIZEN):
        return render(request, "portal/link_invalid.html", status=200)
    pending = request.session.get(PENDING_KEY)
    # Later requests load the user with their municipality and roles (one query).
    login(request, user, backend="mikrolaan.backends.MunicipalityModelBackend")
    request.session.set_expiry(settings.PORTAL_IDLE_MINUTES * 60)
    if pending:
        # The request began anonymous (no municipality in scope): restore
        # within the citizen's own municipality.
        with scoped_to(user_municipality_id(user)):
            _restore_pending(request, pending)
        return redirect("portal:form_step", slug=pending["slug"], step=pending["step"])
    return redirect("home")


def _restore_pending(request, pending) -> None:
    """What the citizen sent after their session ran out goes into the draft."""
    form_def = BY_SLUG.get(pending.get("slug"))
    case = selectors.citizen_case(request.user)
    if form_def is None or case is None or not services.is_open_for(case, form_def):
        return
    form = services.form_for(case, form_def.kind)
    try:
        services.save_draft(actor=request.user, form=form, values=pending.get("values") or {})
    except services.PortalError:
        return
    messages.success(request, _("Du er logget ind igen. Det, du skrev, er gemt."))


# --- the citizen's forms ----------------------------------------------------------------


def citizen_portal_view(view):
    """Citizens only. A session that ran out keeps what was sent: the typed
    values wait in the (new) session until the citizen signs in again."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            step = kwargs.get("step")
            form_def = BY_SLUG.get(kwargs.get("slug", ""))
            if request.method == "POST" and form_def is not None and step:
                step_def = next((s for s in form_def.steps if s.key == step), None)
                if step_def is not None:
                    request.session[PENDING_KEY] = {
                        "slug": form_def.slug,
                        "step": step,
                        "values": raw_values(step_def, request.POST),
                    }
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("portal:sign_in") + "?udlogget"
            )
        if not has_role(request.user, Role.CITIZEN):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        # Inactivity: the session's expiry slides with every portal request.
        request.session.set_expiry(settings.PORTAL_IDLE_MINUTES * 60)
        return view(request, *args, **kwargs)

    wrapped.allowed_roles = (str(Role.CITIZEN),)
    return wrapped


def _citizen_form(request, slug) -> tuple[Case, FormDefinition, PortalForm]:
    form_def = BY_SLUG.get(slug)
    case = selectors.citizen_case(request.user)
    if form_def is None or case is None or not services.is_open_for(case, form_def):
        raise Http404
    return case, form_def, services.form_for(case, form_def.kind)


def _steps_nav(form_def, current: str):
    """The step indicator: the form's steps, then "Tjek dine svar"."""
    items = [
        {
            "key": s.key,
            "title": s.title,
            "url": reverse("portal:form_step", args=[form_def.slug, s.key]),
        }
        for s in form_def.steps
    ]
    items.append(
        {
            "key": "check",
            "title": _("Tjek dine svar"),
            "url": reverse("portal:form_check", args=[form_def.slug]),
        }
    )
    index = next(i for i, item in enumerate(items) if item["key"] == current)
    for i, item in enumerate(items):
        item["number"] = i + 1
        item["state"] = "current" if i == index else ("completed" if i < index else "")
    return items, index + 1, len(items)


def _budget_context(form_def, answers, words=None):
    labels = {k: w.label for k, w in (words or {}).items()}
    if form_def.budget == "establishment":
        return {"establishment": budget.establishment(answers, labels)}
    if form_def.budget == "operating":
        return {"operating": budget.operating(answers, labels)}
    return {}


@citizen_portal_view
def form_overview(request, slug):
    case, form_def, form = _citizen_form(request, slug)
    versions = selectors.versions_of(form)
    latest = versions[0] if versions else None
    return render(
        request,
        "portal/form_overview.html",
        {
            "case": case,
            "form_def": form_def,
            "form": form,
            "versions": versions,
            "latest": latest,
            "latest_sections": selectors.sections(latest) if latest else [],
            "editable": services.can_edit(case, form),
            "first_step": form_def.steps[0].key,
        },
    )


@citizen_portal_view
def form_step(request, slug, step):
    case, form_def, form = _citizen_form(request, slug)
    step_def = next((s for s in form_def.steps if s.key == step), None)
    if step_def is None:
        raise Http404
    if not services.can_edit(case, form):
        return redirect("portal:form_overview", slug=slug)
    words = texts.wordings(form_def)
    index = form_def.step_index(step)
    bound = None
    if request.method == "POST":
        services.save_draft(
            actor=request.user,
            form=form,
            values=raw_values(step_def, request.POST),
            step=step,
            audit=True,
        )
        form.refresh_from_db()
        bound = StepForm(form.draft, definition=form_def, step=step_def, words=words)
        if bound.is_valid():
            if "back" in request.POST and index > 0:
                return redirect("portal:form_step", slug=slug, step=form_def.steps[index - 1].key)
            if request.POST.get("to") == "check" or index + 1 >= len(form_def.steps):
                return redirect("portal:form_check", slug=slug)
            return redirect("portal:form_step", slug=slug, step=form_def.steps[index + 1].key)
    step_form = bound or StepForm(
        initial=form.draft, definition=form_def, step=step_def, words=words
    )
    steps, number, total = _steps_nav(form_def, step)
    context = {
        "case": case,
        "form_def": form_def,
        "form": form,
        "step": step_def,
        "step_form": step_form,
        "steps": steps,
        "step_number": number,
        "step_total": total,
        "previous_step": form_def.steps[index - 1] if index > 0 else None,
        "from_check": request.GET.get("fra") == "tjek" or request.POST.get("to") == "check",
        "attachments": list(form.attachments.filter(version__isnull=True))
        if step_def.attachments
        else [],
        "attachment_form": AttachmentForm() if step_def.attachments else None,
        "max_mb": settings.PORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        **_budget_context(form_def, form.draft, words),
    }
    items = _error_items(bound) if bound is not None else []
    return render(request, "portal/form_step.html", _with_errors(context, items))


@citizen_portal_view
@require_POST
def form_autosave(request, slug, step):
    """htmx: the draft as typed, a second after the citizen stops typing."""
    _case, form_def, form = _citizen_form(request, slug)
    step_def = next((s for s in form_def.steps if s.key == step), None)
    if step_def is None:
        raise Http404
    try:
        form = services.save_draft(
            actor=request.user, form=form, values=raw_values(step_def, request.POST)
        )
    except services.PortalError as exc:
        return render(request, "portal/includes/save_status.html", {"error": str(exc)})
    context = {"saved_at": timezone.localtime(form.draft_saved_at)}
    context.update(_budget_context(form_def, form.draft, texts.wordings(form_def)))
    return render(request, "portal/includes/save_status.html", context)


@citizen_portal_view
def form_check(request, slug):
    case, form_def, form = _citizen_form(request, slug)
    if not services.can_edit(case, form):
        return redirect("portal:form_overview", slug=slug)
    words = texts.wordings(form_def)
    errors = services.step_errors(form, form_def, words)
    if request.method == "POST" and not errors:
        try:
            version = services.submit_form(actor=request.user, form=form)
        except services.PortalError as exc:
            messages.error(request, str(exc))
            return redirect("portal:form_check", slug=slug)
        messages.success(
            request,
            _("Tak. Du har sendt version %(n)s. Mikrolånsteamet ser på den og svarer dig.")
            % {"n": version.number},
        )
        return redirect("portal:form_overview", slug=slug)
    steps, number, total = _steps_nav(form_def, "check")
    summary = [
        {
            "step": step,
            "rows": [
                _check_row(q, words, form.draft, errors.get(step.key)) for q in step.questions
            ],
        }
        for step in form_def.steps
    ]
    items = []
    if request.method == "POST":
        for key, bound in errors.items():
            url = reverse("portal:form_step", args=[form_def.slug, key]) + "?fra=tjek"
            items += _error_items(bound, href_prefix=url)
    return render(
        request,
        "portal/form_check.html",
        _with_errors(
            {
                "case": case,
                "form_def": form_def,
                "form": form,
                "summary": summary,
                "draft": form.draft,
                "errors": errors,
                "show_errors": request.method == "POST",
                "steps": steps,
                "step_number": number,
                "step_total": total,
                "attachments": list(form.attachments.filter(version__isnull=True)),
                **_budget_context(form_def, form.draft, words),
            },
            items,
        ),
    )


def _check_row(q, words, draft, failing) -> dict:
    """One line of "Tjek dine svar": the answer as the citizen will read it."""
    from mikrolaan.formatting import format_kr

    from .budget import amount, month_key
    from .definitions import AMOUNT, CHOICE, FIXED, MONTH_KEYS, MONTHLY

    names = [month_key(q.key, m) for m in MONTH_KEYS] if q.kind == MONTHLY else [q.key]
    if q.kind == MONTHLY:
        total = sum((amount(draft.get(n)) for n in names), budget.ZERO)
        typed = any(draft.get(n) for n in names)
        display = _("12 måneder, i alt %(sum)s") % {"sum": format_kr(total)} if typed else ""
    elif q.kind in (AMOUNT, FIXED):
        raw = draft.get(q.key, "")
        display = format_kr(amount(raw)) if raw else ""
        if q.kind == FIXED and raw:
            display = _("%(sum)s om måneden") % {"sum": display}
    elif q.kind == CHOICE:
        display = dict(q.choices).get(draft.get(q.key, ""), "")
    else:
        display = draft.get(q.key, "")
    bad = [n for n in names if failing is not None and n in failing.errors]
    return {
        "question": q,
        "label": words[q.key].label,
        "display": display,
        "missing": bool(bad),
        "anchor": f"id_{bad[0] if bad else names[0]}",
    }


@citizen_portal_view
@require_POST
def attachment_upload(request, slug):
    case, form_def, form = _citizen_form(request, slug)
    step = next((s for s in form_def.steps if s.attachments), None)
    if step is None:
        raise Http404
    upload = AttachmentForm(request.POST, request.FILES)
    if upload.is_valid():
        try:
            services.add_attachment(
                actor=request.user, form=form, upload=upload.cleaned_data["file"]
            )
        except ValidationError as exc:
            upload.add_error("file", exc.messages[0])
        except services.PortalError as exc:
            upload.add_error("file", str(exc))
    if upload.errors:
        steps, number, total = _steps_nav(form_def, step.key)
        return render(
            request,
            "portal/form_step.html",
            _with_errors(
                {
                    "case": case,
                    "form_def": form_def,
                    "form": form,
                    "step": step,
                    "step_form": StepForm(
                        initial=form.draft, definition=form_def, step=step, words={}
                    ),
                    "steps": steps,
                    "step_number": number,
                    "step_total": total,
                    "previous_step": form_def.steps[form_def.step_index(step.key) - 1],
                    "attachments": list(form.attachments.filter(version__isnull=True)),
                    "attachment_form": upload,
                    "max_mb": settings.PORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                },
                _error_items(upload),
            ),
        )
    messages.success(request, _("Filen er vedhæftet."))
    return redirect("portal:form_step", slug=slug, step=step.key)


@citizen_portal_view
@require_POST
def attachment_remove(request, pk):
    case = selectors.citizen_case(request.user)
    attachment = get_object_or_404(Attachment, pk=pk, citizen__user=request.user)
    slug = attachment.form.kind.replace("_", "-")
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except services.PortalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Filen er fjernet."))
    if case is None:
        raise Http404
    return redirect("portal:form_step", slug=slug, step="attachments")


# --- both: files and PDFs ---------------------------------------------------------------


def _visible_to(user, qs):
    """Staff see their municipality's (the scope does that); a citizen only
    their own."""
    if is_staff_member(user):
        return qs
    return qs.filter(citizen__user=user)


@role_required(*STAFF_ROLES, Role.CITIZEN)
def attachment_download(request, pk):
    attachment = get_object_or_404(
        _visible_to(request.user, Attachment.objects.select_related("citizen")), pk=pk
    )
    log_access(
        actor=request.user,
        subject=attachment.citizen,
        what=f"Bilag {attachment.pk} til skema hentet",
        request=request,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*STAFF_ROLES, Role.CITIZEN)
def version_pdf(request, pk):
    from mikrolaan.letters.rendering import html_to_pdf

    version = get_object_or_404(
        _visible_to(
            request.user,
            FormVersion.objects.select_related("form__case", "citizen", "submitted_by"),
        ),
        pk=pk,
    )
    form_def = BY_SLUG[version.form.kind.replace("_", "-")]
    case = version.form.case
    with translation.override("da"):
        html = render_to_string(
            "portal/version_pdf.html",
            {
                "version": version,
                "form_def": form_def,
                "case": case,
                "citizen": version.citizen,
                "m": case.municipality,
                "sections": selectors.sections(version),
                "today": timezone.localdate(),
                **_budget_context(form_def, version.answers),
            },
        )
    pdf = html_to_pdf(html)
    log_access(
        actor=request.user,
        subject=version.citizen,
        what=f"Skema {version.form.kind} version {version.number} som PDF",
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{case.case_number}-{form_def.slug}-v{version.number}.pdf"'
    )
    return response


# --- staff -------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def portal_invite(request, pk):
    try:
        case = case_selectors.case_for_page(pk)
    except Case.DoesNotExist:
        raise Http404 from None
    try:
        services.invite_citizen(actor=request.user, case=case)
    except services.PortalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Borgeren har fået en e-mail med et link til at logge ind i portalen.")
        )
    return redirect("applicants:case_detail", pk=case.pk)


@role_required(*STAFF_ROLES)
def form_review(request, pk, slug):
    try:
        case = case_selectors.case_for_page(pk)
    except Case.DoesNotExist:
        raise Http404 from None
    form_def = BY_SLUG.get(slug)
    if form_def is None:
        raise Http404
    form = PortalForm.objects.filter(case=case, kind=form_def.kind).first()
    versions = selectors.versions_of(form) if form else []
    number = request.GET.get("version") or request.POST.get("version")
    version = next((v for v in versions if str(v.number) == str(number)), None) if number else None
    version = version or (versions[0] if versions else None)
    previous = next((v for v in versions if version and v.number == version.number - 1), None)
    comment_form = SectionCommentForm()
    review_form = ReviewForm()
    if request.method == "POST" and version is not None:
        action = request.POST.get("action")
        try:
            if action == "comment":
                comment_form = SectionCommentForm(request.POST)
                if comment_form.is_valid():
                    services.comment_section(
                        actor=request.user,
                        version=version,
                        section=comment_form.cleaned_data["section"],
                        text=comment_form.cleaned_data["text"],
                    )
                    messages.success(request, _("Kommentaren er gemt."))
                    return redirect(f"{request.path}?version={version.number}")
            elif action in ("accept", "send_back"):
                review_form = ReviewForm(request.POST)
                if review_form.is_valid():
                    services.review_version(
                        actor=request.user,
                        version=version,
                        accept=action == "accept",
                        message=review_form.cleaned_data["message"],
                    )
                    messages.success(
                        request,
                        _("Skemaet er godkendt, og borgeren har fået besked.")
                        if action == "accept"
                        else _("Skemaet er sendt tilbage, og borgeren har fået besked."),
                    )
                    return redirect(f"{request.path}?version={version.number}")
        except services.PortalError as exc:
            review_form.add_error("message", str(exc))
    return render(
        request,
        "applicants/form_review.html",
        {
            "case": case,
            "form_def": form_def,
            "form": form,
            "versions": versions,
            "version": version,
            "previous": previous,
            "sections": selectors.sections(version, previous) if version else [],
            "comment_form": comment_form,
            "review_form": review_form,
            "can_review": version is not None and version.status == FormStatus.SUBMITTED,
            **(_budget_context(form_def, version.answers) if version else {}),
        },
    )


@role_required(*STAFF_ROLES)
def person_profile_for_citizen(request, pk):
    """A team member registers the person profile for a citizen who has no
    portal login or cannot manage the form online: received on paper or
    filled in together at a meeting. It becomes a normal submitted version
    (marked with how it was received), starting from the citizen's draft."""
    try:
        case = case_selectors.case_for_page(pk)
    except Case.DoesNotExist:
        raise Http404 from None
    form_def = PERSON_PROFILE
    form = PortalForm.objects.filter(case=case, kind=form_def.kind).first()
    words = texts.wordings(form_def)
    review_url = reverse("applicants:form_review", args=[case.pk, form_def.slug])
    if form is not None and not form.is_editable:
        messages.info(
            request,
            _("Personprofilen er sendt og venter på svar. Se den her, før du registrerer en ny."),
        )
        return redirect(review_url)
    entry = RegisterForCitizenForm(
        request.POST or None,
        initial=form.draft if form else None,
        definition=form_def,
        words=words,
    )
    if request.method == "POST" and entry.is_valid():
        try:
            services.register_for_citizen(
                actor=request.user,
                case=case,
                kind=form_def.kind,
                values=entry.answers(),
                received_as=entry.cleaned_data["received_as"],
            )
        except services.PortalError as exc:
            entry.add_error(None, str(exc))
        else:
            messages.success(request, _("Personprofilen er registreret for borgeren."))
            return redirect(review_url)
    return render(
        request,
        "applicants/form_page.html",
        {
            "case": case,
            "form": entry,
            "title": _("Registrér personprofilen for borgeren"),
            "intro": _(
                "Skriv borgerens svar fra papirskemaet, eller udfyld det sammen med borgeren. "
                "Skemaet bliver sendt, som havde borgeren sendt det i portalen."
            ),
        },
    )


@role_required(Role.TEAM_LEAD)
def question_texts(request, slug="preliminary-plan"):
    form_def = BY_SLUG.get(slug)
    if form_def is None:
        raise Http404
    words = texts.wordings(form_def)
    errors = {}
    if request.method == "POST":
        revised = {}
        for q in form_def.questions():
            label = request.POST.get(f"{q.key}-label", "").strip()
            help_text = request.POST.get(f"{q.key}-help", "").strip()
            if not label:
                errors[q.key] = _("Skriv spørgsmålets tekst")
            elif len(label) > 300 or len(help_text) > 500:
                errors[q.key] = _(
                    "Forkort teksten: højst 300 tegn i spørgsmålet og 500 i hjælpeteksten"
                )
            revised[q.key] = (label, help_text)
        if not errors:
            n = services.revise_question_texts(
                actor=request.user, form_def=form_def, wordings=revised
            )
            messages.success(request, _("%(n)s spørgsmål er ændret.") % {"n": n})
            return redirect("applicants:question_texts", slug=slug)
        words = {k: texts.Wording(*revised[k]) for k in revised}
    rows = [
        {"question": q, "wording": words[q.key], "error": errors.get(q.key), "step": s}
        for s in form_def.steps
        for q in s.questions
    ]
    return render(
        request,
        "applicants/question_texts.html",
        {"form_def": form_def, "rows": rows, "errors": errors, "all_forms": BY_SLUG.values()},
    )
