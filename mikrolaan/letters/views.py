"""Downloading a letter, the Digital Post hand-over ZIP, and staff's retry."""

import io
import json
import zipfile

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mikrolaan.audit import log_access
from mikrolaan.roles import STAFF_ROLES, Role, role_required

from .models import Letter
from .registry import get_kind
from .selectors import letter_for_user
from .services import retry_letter


def _file_stem(letter: Letter) -> str:
    case = letter.case.case_number if letter.case_id else "brev"
    return f"{case}-brev-{letter.pk}-v{letter.version}"


@role_required(*STAFF_ROLES, Role.CITIZEN)
def download(request, pk: int):
    letter = letter_for_user(request.user, pk)
    # No PDF: the letter has been anonymised after the retention period.
    if letter is None or not letter.is_generated or not letter.pdf:
        raise Http404
    log_access(
        actor=request.user,
        subject=letter.recipient,
        what=f"Brev {letter.pk} ({letter.kind}) hentet",
        request=request,
    )
    response = FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{_file_stem(letter)}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def digital_post_metadata(letter: Letter) -> dict:
    """What the municipality's document system or print-and-post provider
    needs to send the letter through Digital Post."""
    kind = get_kind(letter.kind)
    return {
        "letter_id": letter.pk,
        "version": letter.version,
        "supersedes": letter.supersedes_id,
        "kind": letter.kind,
        "kind_title": str(kind.title),
        "is_decision": kind.is_decision,
        "title": letter.subject,
        # The sender: the municipality whose letterhead the letter carries.
        "sender_name": (letter.snapshot or {}).get("municipality", {}).get("name", ""),
        "sender_cvr": (letter.snapshot or {}).get("municipality", {}).get("cvr", ""),
        "recipient_cpr": letter.recipient_cpr,
        "recipient_name": letter.recipient_name,
        "recipient_address": letter.recipient_address_lines,
        "case_number": letter.case.case_number if letter.case_id else "",
        "sha256": letter.sha256,
        "generated_at": timezone.localtime(letter.generated_at).isoformat(),
        "template_name": letter.template_name,
        "template_version": letter.template_version,
        "pdf_file": f"{_file_stem(letter)}.pdf",
    }


@role_required(*STAFF_ROLES)
def digital_post(request, pk: int):
    letter = get_object_or_404(Letter.objects.select_related("case", "recipient"), pk=pk)
    if not letter.is_generated or not letter.pdf:
        raise Http404
    metadata = digital_post_metadata(letter)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with letter.pdf.open("rb") as pdf:
            archive.writestr(metadata["pdf_file"], pdf.read())
        archive.writestr(
            "metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2).encode()
        )
    log_access(
        actor=request.user,
        subject=letter.recipient,
        what=f"Brev {letter.pk} ({letter.kind}) udleveret til Digital Post",
        request=request,
    )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(letter)}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(*STAFF_ROLES)
def retry(request, pk: int):
    letter = get_object_or_404(Letter, pk=pk)
    try:
        retry_letter(letter=letter, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Brevet er sat i kø igen."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)
