"""Writes to letters. Every later issue sends its letters through
:func:`request_letter`; the background job calls :func:`generate_pending_letter`."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from mikrolaan.audit import record_event
from mikrolaan.models import Municipality

from .models import Letter, LetterStatus
from .registry import LetterContextError, LetterKindError, get_kind

logger = logging.getLogger(__name__)


def _json_context(context: dict) -> dict:
    """The context as it will be stored: dates and Decimals become strings."""
    if not isinstance(context, dict):
        raise LetterContextError("context skal være en dict.")
    try:
        return json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as exc:
        raise LetterContextError(f"context kan ikke gemmes som JSON: {exc}") from exc


def _recipient_address(citizen) -> str:
    place = " ".join(p for p in (citizen.postcode, citizen.city) if p)
    return "\n".join(line for line in (citizen.street, place) if line)


def build_snapshot(*, kind, case, recipient=None, author=None) -> dict:
    """The letterhead, contact person and (for decisions) the scheme's texts
    of the case's municipality as they are now; frozen into the letter so
    that it renders the same later.

    The contact person is the case's responsible staff member; a case without
    one names the staff member who wrote the letter, so a citizen always has
    a person to call. Only letters from the system itself (a daily job) name
    the municipality's own phone and e-mail alone."""
    owner = case if case is not None else recipient
    m = Municipality.objects.get(pk=owner.municipality_id)
    snapshot = {
        "municipality": {
            "name": m.name,
            "department": m.department,
            "street": m.street,
            "postcode": m.postcode,
            "city": m.city,
            "cvr": m.cvr,
            "phone": m.phone,
            "email": m.email,
            "website": m.website,
            "logo": m.logo.name if m.logo else "",
        },
        "contact": {"name": "", "email": m.email, "phone": m.phone},
    }
    responsible = getattr(case, "responsible", None) if case is not None else None
    if responsible is None and getattr(author, "is_authenticated", False):
        responsible = author
    if responsible is not None:
        snapshot["contact"] = {
            "name": responsible.get_full_name() or responsible.get_username(),
            "email": responsible.email or m.email,
            "phone": m.phone,
        }
    if kind.is_decision:
        snapshot["scheme"] = m.current_scheme().letter_snapshot()
    return snapshot


def build_letter(
    *, kind: str, case, recipient=None, author=None, context: dict, subject: str | None = None
) -> Letter:
    """An unsaved, validated Letter (also used for sample letters)."""
    letter_kind = get_kind(kind)
    if recipient is None:
        if case is None:
            raise LetterContextError("Et brev uden forløb skal have en modtager.")
        recipient = case.citizen
    stored = _json_context(context)
    letter_kind.validate(stored)
    return Letter(
        kind=letter_kind.id,
        case=case,
        recipient=recipient,
        recipient_name=recipient.full_name,
        recipient_address=_recipient_address(recipient),
        recipient_cpr=recipient.cpr,
        subject=(subject or letter_kind.default_subject(stored))[:300],
        context=stored,
        snapshot=build_snapshot(kind=letter_kind, case=case, recipient=recipient, author=author),
        template_name=letter_kind.template,
        template_version=letter_kind.version,
        author=author if getattr(author, "is_authenticated", False) else None,
        created_at=timezone.now(),
    )


def _enqueue(letter_id: int) -> None:
    """Queue the render. A broker that is down must neither break nor slow
    the request that asked for the letter: one quick try, none while the
    broker is known to be down (mikrolaan.broker); the letter stays pending
    and the sweep queues it again."""
    from mikrolaan.broker import publish

    from .tasks import generate_letter

    try:
        publish(generate_letter, (letter_id,))
    except Exception:
        # In-process (eager) mode the render itself runs here.
        logger.warning("Could not queue letter %s; the sweep will retry", letter_id, exc_info=True)


@transaction.atomic
def request_letter(
    *,
    kind: str,
    case,
    recipient=None,
    author=None,
    context: dict,
    subject: str | None = None,
    supersedes: Letter | None = None,
) -> Letter:
    """Ask for a letter: validate the context against the kind (raising
    LetterContextError for missing keys or bad values), save a pending Letter
    with the recipient block, CPR, letterhead and scheme texts frozen, write
    the audit row ``letter.requested``, and queue the render when the
    transaction commits. Never raises because the broker is down.

    A kind whose text is still a placeholder is refused (LetterKindError):
    no placeholder letter can reach a citizen."""
    if get_kind(kind).placeholder:
        raise LetterKindError(
            f"Brevtypen {kind!r} er endnu en pladsholder og kan ikke sendes til en borger."
        )
    letter = build_letter(
        kind=kind,
        case=case,
        recipient=recipient,
        author=author,
        context=context,
        subject=subject,
    )
    if supersedes is not None:
        letter.supersedes = supersedes
        letter.version = supersedes.version + 1
    letter.full_clean(exclude=["pdf", "sha256", "supersedes"])
    letter.save()
    record_event(
        actor=author,
        action="letter.requested",
        obj=letter,
        to_state=letter.status,
        data={
            "kind": letter.kind,
            "case": letter.case_id,
            "version": letter.version,
            "supersedes": supersedes.pk if supersedes else None,
        },
    )
    letter_id = letter.pk
    transaction.on_commit(lambda: _enqueue(letter_id))
    return letter


def supersede_letter(
    *, letter: Letter, actor, context: dict | None = None, subject: str | None = None
) -> Letter:
    """Request a corrected letter: a new Letter (version + 1) that names the
    one it replaces. The old letter and its PDF stay as they were."""
    if hasattr(letter, "superseded_by"):
        raise ValueError(_("Brevet er allerede erstattet af en nyere version."))
    return request_letter(
        kind=letter.kind,
        case=letter.case,
        recipient=letter.recipient,
        author=actor,
        context=letter.context if context is None else context,
        subject=subject,
        supersedes=letter,
    )


@transaction.atomic
def retry_letter(*, letter: Letter, actor) -> Letter:
    """Put a failed letter back in the queue (staff's "prøv igen"). Its
    attempts start again from zero; the error stays visible until a render
    succeeds. Audit row ``letter.retried``."""
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if locked.status != LetterStatus.FAILED:
        raise ValueError(_("Kun breve, der er fejlet, kan prøves igen."))
    previous_attempts = locked.attempts
    Letter.objects.filter(pk=locked.pk).update(
        status=LetterStatus.PENDING, attempts=0, claim_token="", claimed_at=None
    )
    record_event(
        actor=actor,
        action="letter.retried",
        obj=locked,
        from_state=LetterStatus.FAILED,
        to_state=LetterStatus.PENDING,
        data={"attempts": previous_attempts, "last_error": locked.last_error[:500]},
    )
    transaction.on_commit(lambda: _enqueue(locked.pk))
    locked.refresh_from_db()
    return locked


def claim_letter(letter_id: int, *, now=None) -> str | None:
    """Claim a pending letter for rendering by a conditional update; return
    the claim token, or None if the letter is generated, failed, or being
    rendered by someone else (a claim older than the stale limit is taken
    over: its worker is presumed dead)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.LETTERS_CLAIM_STALE_SECONDS)
    token = uuid.uuid4().hex
    claimed = (
        Letter.objects.filter(pk=letter_id, status=LetterStatus.PENDING)
        .filter(Q(claim_token="") | Q(claimed_at__lt=stale))
        .update(claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    )
    return token if claimed == 1 else None


def _store_pdf(*, letter_id: int, token: str, pdf: bytes) -> Letter | None:
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status != LetterStatus.PENDING or letter.claim_token != token:
            # Someone else took over a stale claim and may have finished.
            return None
        now = timezone.now()
        letter.sha256 = hashlib.sha256(pdf).hexdigest()
        letter.generated_at = now
        letter.status = LetterStatus.GENERATED
        letter.claim_token = ""
        letter.pdf.save("letter.pdf", ContentFile(pdf), save=False)
        stored_name = letter.pdf.name
        try:
            letter.save(
                update_fields=[
                    "pdf",
                    "sha256",
                    "generated_at",
                    "status",
                    "claim_token",
                    "last_error",
                ]
            )
            record_event(
                actor=None,
                action="letter.generated",
                obj=letter,
                from_state=LetterStatus.PENDING,
                to_state=LetterStatus.GENERATED,
                data={
                    "sha256": letter.sha256,
                    "attempts": letter.attempts,
                    "template": letter.template_name,
                    "template_version": letter.template_version,
                },
            )
        except Exception:
            letter.pdf.storage.delete(stored_name)
            raise
        transaction.on_commit(lambda: notify_recipient(letter_id=letter_id))
        return letter


def release_claim(*, letter_id: int, token: str, error: str, final: bool) -> None:
    """After a failed render: keep the error; on the last attempt mark the
    letter failed (audit row), otherwise free it for the retry."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status != LetterStatus.PENDING or letter.claim_token != token:
            return
        fields = {"claim_token": "", "last_error": error[:4000]}
        if final:
            fields["status"] = LetterStatus.FAILED
        Letter.objects.filter(pk=letter_id).update(**fields)
        if final:
            record_event(
                actor=None,
                action="letter.failed",
                obj=letter,
                from_state=LetterStatus.PENDING,
                to_state=LetterStatus.FAILED,
                reason=error[:2000],
                data={"attempts": letter.attempts},
            )


def generate_pending_letter(letter_id: int) -> str:
    """Render a pending letter once, however often it is called: claim it,
    render outside any transaction, then store the PDF and SHA-256 only if the
    claim still holds. Returns "generated", "skipped" or raises the render's
    error after freeing the claim (the caller decides on retries)."""
    token = claim_letter(letter_id)
    if token is None:
        return "skipped"
    letter = Letter.objects.select_related("case__responsible", "recipient").get(pk=letter_id)
    # WeasyPrint is imported here, not at start-up: web processes rarely render.
    from .rendering import render_letter_pdf

    try:
        pdf = render_letter_pdf(letter)
    except Exception as exc:
        final = letter.attempts >= settings.LETTERS_MAX_ATTEMPTS
        release_claim(
            letter_id=letter_id, token=token, error=f"{type(exc).__name__}: {exc}", final=final
        )
        if final:
            logger.error("Letter %s failed after %s attempts", letter_id, letter.attempts)
            return "failed"
        raise
    stored = _store_pdf(letter_id=letter_id, token=token, pdf=pdf)
    return "generated" if stored is not None else "skipped"


def notify_recipient(*, letter_id: int) -> bool:
    """E-mail the citizen that a letter is waiting — with no personal data:
    no name, no CPR, no subject; only the municipality and a link. Sent at
    most once per letter. Only a citizen who can sign in to the portal gets
    it: the e-mail asks them to log in and read the letter there; the others
    receive the letter itself through Digital Post or by post."""
    letter = Letter.objects.select_related("recipient__user").get(pk=letter_id)
    email = letter.recipient.email
    portal_user = letter.recipient.user
    if portal_user is None or not portal_user.is_active:
        return False
    if not email or letter.notified_at is not None or not letter.is_generated:
        return False
    claimed = Letter.objects.filter(pk=letter_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if claimed != 1:
        return False
    name = (letter.snapshot.get("municipality") or {}).get("name") or (
        Municipality.objects.get(pk=letter.municipality_id).name
    )
    link = settings.SITE_URL.rstrip("/") + reverse("home")
    with override("da"):
        subject = _("Nyt brev fra %(municipality)s") % {"municipality": name}
        body = _(
            "Du har fået et nyt brev fra %(municipality)s. Log ind for at læse det:\n\n%(link)s\n"
        ) % {"municipality": name, "link": link}
    try:
        send_mail(subject, body, None, [email])
    except Exception:
        logger.warning("Could not e-mail the recipient of letter %s", letter_id, exc_info=True)
        Letter.objects.filter(pk=letter_id).update(notified_at=None)
        return False
    return True


def letters_to_sweep(*, now=None):
    """Pending letters nobody is working on: older than the sweep delay and
    either unclaimed with no recent attempt, or claimed by a presumably dead
    worker."""
    now = now or timezone.now()
    older = now - timedelta(seconds=settings.LETTERS_SWEEP_AFTER_SECONDS)
    stale = now - timedelta(seconds=settings.LETTERS_CLAIM_STALE_SECONDS)
    return Letter.objects.filter(status=LetterStatus.PENDING, created_at__lt=older).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


def sweep_pending_letters(*, now=None) -> int:
    """Queue again every letter that is stuck pending (the broker was down,
    a worker died); the job's claim makes a double queueing harmless."""
    ids = list(letters_to_sweep(now=now).values_list("pk", flat=True)[:500])
    for letter_id in ids:
        _enqueue(letter_id)
    if ids:
        logger.info("Re-queued %s pending letters", len(ids))
    return len(ids)
