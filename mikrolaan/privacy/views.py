"""The access log (team lead and the DPO), the citizen's "who has looked at
my data", the GDPR export of one citizen and the retention report.

Reads of a citizen's data on these pages are access-logged by the
project's logging of personal-data reads, not here."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mikrolaan.audit import record_event
from mikrolaan.exports import csv_response
from mikrolaan.roles import Role, role_required

from . import export, registry, retention, selectors
from .forms import AccessLogFilterForm

# The team lead and the administrator (the municipality's DPO).
OVERSIGHT_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATOR)
PAGE_SIZE = 50


def _filters(request) -> tuple[AccessLogFilterForm, dict]:
    form = AccessLogFilterForm(request.GET or None)
    return form, form.filters()


@role_required(*OVERSIGHT_ROLES)
def access_log(request):
    form, filters = _filters(request)
    page = Paginator(selectors.access_log(**filters), PAGE_SIZE).get_page(request.GET.get("side"))
    subject = None
    if filters.get("subject_id") is not None:
        subject = registry.subject().model._default_manager.filter(pk=filters["subject_id"]).first()
    params = request.GET.copy()
    params.pop("side", None)
    return render(
        request,
        "privacy/access_log.html",
        {
            "form": form,
            "page": page,
            "entries": selectors.with_roles(page.object_list),
            "subject": subject,
            "querystring": params.urlencode(),
        },
    )


@role_required(*OVERSIGHT_ROLES)
def access_log_export(request):
    """The filtered access log as CSV; the export itself is audited (the
    filters, with a name search recorded only as having been made)."""
    _form, filters = _filters(request)
    record_event(
        actor=request.user,
        action="access_log.exported",
        data={
            "subject_id": filters.get("subject_id"),
            "name_search": bool(filters.get("subject_text")),
            "actor": filters.get("actor_text", ""),
            "from": str(filters.get("date_from") or ""),
            "to": str(filters.get("date_to") or ""),
        },
    )
    qs = selectors.access_log(**filters).prefetch_related(None)
    header = [
        _("Tidspunkt"),
        _("Læst af"),
        _("Brugernavn"),
        _("Hvis data"),
        _("Borger-id"),
        _("Hvad"),
        _("Side"),
    ]

    def rows():
        for entry in qs.iterator(chunk_size=2000):
            yield [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_label,
                entry.actor.get_username() if entry.actor else "",
                entry.subject_repr,
                entry.subject_id,
                entry.what,
                entry.path,
            ]

    return csv_response("adgangslog.csv", header, rows())


@role_required(Role.CITIZEN)
def my_access_log(request):
    """GDPR art. 15: which staff have looked at my data, when, and what."""
    qs = selectors.reads_of_own_data(request.user)
    page = None
    entries = []
    if qs is not None:
        page = Paginator(qs, 25).get_page(request.GET.get("side"))
        entries = selectors.with_roles(page.object_list)
    return render(request, "privacy/my_access_log.html", {"page": page, "entries": entries})


@require_POST
@role_required(Role.TEAM_LEAD)
def subject_export(request, pk: int):
    """All data on one citizen as a ZIP (index.html, data.json, letter PDFs).
    The audit row names the citizen by id and counts the rows: no personal
    data in the audit trail."""
    model = registry.subject().model
    subject = get_object_or_404(model._default_manager, pk=pk)
    data = export.collect(subject, actor=request.user)
    record_event(
        actor=request.user,
        action="privacy.exported",
        obj=subject,
        object_repr=f"{model._meta.verbose_name} {subject.pk}",
        data={"rows": data.counts(), "files": len(data.files)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(export.stream_zip(data), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="gdpr-udtraek-borger-{subject.pk}-{stamp}.zip"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*OVERSIGHT_ROLES)
def retention_report(request):
    """A dry run of the daily retention job: what it would anonymise now,
    what the keep rules hold back, and the latest anonymisations."""
    plan = retention.plan(now=timezone.now())
    recent = retention.recent_runs(limit=20)
    return render(
        request,
        "privacy/retention_report.html",
        {
            "plan": plan,
            "to_anonymise": plan.to_anonymise[:500],
            "kept": plan.kept[:500],
            "keep_rules": registry.keep_rules(),
            "recent": recent,
            "settings_years": settings.RETENTION_CLOSED_CASE_YEARS,
        },
    )
