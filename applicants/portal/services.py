"""Every write of the portal: invitations and sign-in links, drafts,
submitted versions, the team's review, attachments and question texts.

Drafts are saved as the citizen types; those saves leave no audit row (they
are no decision, and one per pause in typing would bury the trail). A step
saved with "Næste", a submission, a review and every file leave one.
"""

import hashlib
import hmac
import logging
from datetime import timedelta

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from sesame.utils import get_query_string

from mikrolaan.audit import record_event
from mikrolaan.models import UserProfile
from mikrolaan.roles import Role

from ..models import CLOSED_STAGES, PIPELINE, Case, Citizen, Stage
from . import texts
from .definitions import DEFINITIONS, FormDefinition, definition
from .forms import StepForm
from .models import (
    Attachment,
    FormStatus,
    FormVersion,
    PortalForm,
    QuestionText,
    ReceivedAs,
    SectionComment,
    SignInRequest,
)

logger = logging.getLogger(__name__)

# The stages in the order of the handbook; a form opens at its stage and
# stays open after it.
STAGE_ORDER = list(PIPELINE)


class PortalError(Exception):
    """A request the portal refuses, with a message for the person."""


def effective_stage(case: Case) -> str:
    return case.stage_before_pause if case.stage == Stage.PAUSED else case.stage


def is_open_for(case: Case, form_def: FormDefinition) -> bool:
    """Whether the handbook has reached the point where the form belongs."""
    stage = effective_stage(case)
    if stage not in STAGE_ORDER:
        return False
    return STAGE_ORDER.index(stage) >= STAGE_ORDER.index(form_def.opens_at)


def open_definitions(case: Case) -> list[FormDefinition]:
    return [d for d in DEFINITIONS.values() if is_open_for(case, d)]


def can_edit(case: Case, form: PortalForm | None) -> bool:
    return case.stage not in CLOSED_STAGES and (form is None or form.is_editable)


# --- sign-in -----------------------------------------------------------------------


def _address_hash(email: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def sign_in_url(user) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:link')}{get_query_string(user)}"


def _send_link(user) -> None:
    minutes = settings.PORTAL_LINK_MINUTES
    body = _(
        "Hej\n\nHer er dit link til at logge ind på Mikrolån:\n\n%(url)s\n\n"
        "Linket virker én gang og i %(minutes)s minutter. Har du ikke bedt om det, "
        "kan du se bort fra denne e-mail.\n\nMed venlig hilsen\nMikrolånsteamet"
    ) % {"url": sign_in_url(user), "minutes": minutes}
    send_mail(_("Dit link til at logge ind på Mikrolån"), body, None, [user.email])


def citizen_users_for_address(email: str):
    """Active citizen logins with this address (a citizen who moved may have
    one in each municipality)."""
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True, groups__name=Role.CITIZEN)
        .distinct()
    )


def request_sign_in_link(*, email: str, ip_address: str) -> bool:
    """Send a sign-in link if the address belongs to a citizen's login and
    neither the address nor the client has asked too often within the hour.

    The caller shows the same answer whatever happens (no enumeration); the
    return value (whether a link went out) is for tests and the log only."""
    now = timezone.now()
    address = _address_hash(email)
    since = now - timedelta(hours=1)
    SignInRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()
    recent = SignInRequest.objects.filter(at__gte=since)
    too_many = (
        recent.filter(address_hash=address).count() >= settings.PORTAL_LINKS_PER_ADDRESS
        or recent.filter(ip_address=ip_address).count() >= settings.PORTAL_LINKS_PER_IP
    )
    SignInRequest.objects.create(address_hash=address, ip_address=ip_address or "", at=now)
    if too_many:
        logger.warning("Sign-in link refused: rate limit (client %s)", ip_address)
        return False
    users = list(citizen_users_for_address(email))
    for user in users:
        _send_link(user)
    return bool(users)


@transaction.atomic
def invite_citizen(*, actor, case: Case):
    """Give the case's citizen a portal login (if they have none) and e-mail
    them a sign-in link. Needs the citizen's e-mail address."""
    citizen = Citizen.objects.select_for_update().get(pk=case.citizen_id)
    if not citizen.email:
        raise PortalError(
            _("Borgeren har ingen e-mailadresse. Skriv den under borgerens oplysninger først.")
        )
    User = get_user_model()
    user = citizen.user
    if user is None:
        user = User(username=f"borger-{citizen.pk}")
        user.set_unusable_password()
        user.first_name = citizen.first_name
        user.last_name = citizen.last_name
        user.email = citizen.email
        user.save()
        user.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
        UserProfile.objects.get_or_create(user=user, defaults={"municipality": case.municipality})
        citizen.user = user
        citizen.save(update_fields=["user"])
    elif user.email != citizen.email or not user.is_active:
        user.email = citizen.email
        user.is_active = True
        user.save(update_fields=["email", "is_active"])
    record_event(actor=actor, action="portal.invited", obj=case, object_repr=case.case_number)
    transaction.on_commit(lambda: _send_link(user))
    return user


# --- drafts --------------------------------------------------------------------------


def form_for(case: Case, kind) -> PortalForm:
    form, _created = PortalForm.objects.get_or_create(
        case=case, kind=str(kind), defaults={"citizen_id": case.citizen_id}
    )
    return form


@transaction.atomic
def save_draft(*, actor, form: PortalForm, values: dict, step: str = "", audit: bool = False):
    """Merge what was typed into the draft, as typed (valid or not)."""
    form = PortalForm.objects.select_for_update().get(pk=form.pk)
    if not form.is_editable:
        raise PortalError(
            _("Skemaet er sendt og venter på svar. Du kan rette det, når du har fået svar.")
        )
    if form.case.stage in CLOSED_STAGES:
        raise PortalError(_("Forløbet er afsluttet. Skemaet kan ikke rettes."))
    draft = dict(form.draft)
    draft.update(values)
    form.draft = draft
    form.draft_saved_at = timezone.now()
    form.draft_revision += 1
    form.save(update_fields=["draft", "draft_saved_at", "draft_revision"])
    if audit:
        record_event(
            actor=actor,
            action="portal_form.step_saved",
            obj=form,
            object_repr=f"{form.kind} {form.case_id}",
            data={"step": step},
        )
    return form


def step_errors(form: PortalForm, form_def: FormDefinition, words=None) -> dict:
    """step key -> the bound StepForm of every step whose answers fail."""
    words = words or texts.wordings(form_def)
    failing = {}
    for step in form_def.steps:
        if not step.questions:
            continue
        bound = StepForm(form.draft, definition=form_def, step=step, words=words)
        if not bound.is_valid():
            failing[step.key] = bound
    return failing


@transaction.atomic
def submit_form(*, actor, form: PortalForm, received_as: str = "") -> FormVersion:
    """Freeze the draft as the next numbered version, with the question texts
    it answered; attachments not yet part of a version join this one.
    ``received_as`` (a :class:`ReceivedAs`) marks a version a team member
    registered for the citizen."""
    form = PortalForm.objects.select_for_update().get(pk=form.pk)
    if not form.is_editable:
        raise PortalError(_("Skemaet er allerede sendt."))
    form_def = definition(form.kind)
    words = texts.wordings(form_def)
    if step_errors(form, form_def, words):
        raise PortalError(_("Ret fejlene, før du sender skemaet."))
    answers = {}
    for step in form_def.steps:
        if step.questions:
            bound = StepForm(form.draft, definition=form_def, step=step, words=words)
            bound.is_valid()
            answers.update(bound.answers())
    number = (form.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = FormVersion(
        form=form,
        citizen_id=form.citizen_id,
        number=number,
        answers=answers,
        questions=texts.snapshot(form_def),
        submitted_by=actor,
        received_as=received_as,
    )
    version.full_clean()
    version.save()
    form.attachments.filter(version__isnull=True).update(version=version)
    old = form.status
    form.status = FormStatus.SUBMITTED
    form.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="portal_form.submitted",
        obj=form,
        object_repr=f"{form.kind} {form.case_id} v{number}",
        from_state=old,
        to_state=form.status,
        data={"received_as": received_as} if received_as else None,
    )
    return version


@transaction.atomic
def register_for_citizen(*, actor, case: Case, kind, values: dict, received_as: str) -> FormVersion:
    """A team member registers a form for a citizen who cannot use the
    portal (answers received on paper, or filled in together at a meeting):
    the answers join the citizen's draft and are submitted as a normal
    version, marked with how they were received."""
    if received_as not in ReceivedAs.values:
        raise PortalError(_("Vælg, hvordan svarene er modtaget"))
    form = form_for(case, kind)
    save_draft(actor=actor, form=form, values=values, step="all", audit=True)
    return submit_form(actor=actor, form=form, received_as=received_as)


# --- the team's review ---------------------------------------------------------------


@transaction.atomic
def comment_section(*, actor, version: FormVersion, section: str, text: str) -> SectionComment:
    sections = {s["key"] for s in version.questions}
    if section not in sections:
        raise PortalError(_("Afsnittet findes ikke i skemaet."))
    comment = SectionComment(version=version, section=section, text=text, author=actor)
    comment.full_clean()
    comment.save()
    record_event(
        actor=actor,
        action="portal_form.commented",
        obj=version.form,
        object_repr=f"{version.form.kind} {version.form.case_id} v{version.number}",
        data={"section": section},
    )
    return comment


def _notify_citizen(form: PortalForm) -> None:
    """An e-mail with no personal data: something waits in the portal."""
    user = form.citizen.user
    if user is None or not user.email:
        return
    body = _(
        "Hej\n\nMikrolånsteamet har svaret på et skema, du har sendt. Log ind for at "
        "se svaret:\n\n%(url)s\n\nMed venlig hilsen\nMikrolånsteamet"
    ) % {"url": f"{settings.SITE_URL.rstrip('/')}{reverse('portal:sign_in')}"}
    send_mail(_("Du har svar fra mikrolånsteamet"), body, None, [user.email])


@transaction.atomic
def review_version(*, actor, version: FormVersion, accept: bool, message: str = "") -> FormVersion:
    """Accept a submitted version, or send it back with a message; either
    way the citizen may edit the form again and is told by e-mail."""
    version = FormVersion.objects.select_for_update().select_related("form").get(pk=version.pk)
    form = PortalForm.objects.select_for_update().get(pk=version.form_id)
    if version.status != FormStatus.SUBMITTED:
        raise PortalError(_("Versionen er allerede behandlet."))
    if not accept and not message.strip():
        raise PortalError(_("Skriv en besked til borgeren om, hvad der skal rettes"))
    status = FormStatus.ACCEPTED if accept else FormStatus.SENT_BACK
    version.status = status
    version.reviewed_at = timezone.now()
    version.reviewed_by = actor
    version.review_message = message.strip()
    version.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_message"])
    latest = form.versions.order_by("-number").values_list("pk", flat=True).first()
    if latest == version.pk:
        form.status = status
        form.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="portal_form.accepted" if accept else "portal_form.sent_back",
        obj=form,
        object_repr=f"{form.kind} {form.case_id} v{version.number}",
        from_state=FormStatus.SUBMITTED,
        to_state=status,
    )
    transaction.on_commit(lambda: _notify_citizen(form))
    return version


# --- attachments ---------------------------------------------------------------------

# What a business plan may carry, recognised by the file's first bytes.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
}


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    # Old Word files are OLE compound documents; filetype does not name them.
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    return None


def check_upload(upload) -> str:
    """The file's real type, or a ValidationError saying what to do."""
    limit = settings.PORTAL_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        mb = number_format(limit / (1024 * 1024), decimal_pos=0)
        raise ValidationError(_("Filen er for stor. Vælg en fil på højst %(mb)s MB") % {"mb": mb})
    if upload.size == 0:
        raise ValidationError(_("Filen er tom. Vælg en anden fil"))
    mime = _sniff(upload)
    if mime is None:
        raise ValidationError(
            _(
                "Filen er ikke en PDF, et billede (JPEG, PNG) eller et Word-dokument. "
                "Vælg en anden fil"
            )
        )
    return mime


@transaction.atomic
def add_attachment(*, actor, form: PortalForm, upload) -> Attachment:
    if not form.is_editable:
        raise PortalError(_("Skemaet er sendt og venter på svar."))
    mime = check_upload(upload)
    name = (upload.name or "bilag").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(
        form=form,
        citizen_id=form.citizen_id,
        original_name=name,
        content_type=mime,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.municipality_id = form.municipality_id
    attachment.file.save(f"{ALLOWED_TYPES[mime]}", upload, save=False)
    attachment.save()
    record_event(
        actor=actor,
        action="portal_form.attachment_added",
        obj=form,
        object_repr=f"{form.kind} {form.case_id}",
        data={"attachment": attachment.pk, "type": mime, "size": upload.size},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    if attachment.version_id is not None:
        raise PortalError(_("Bilaget er sendt med en version og kan ikke fjernes."))
    form = attachment.form
    record_event(
        actor=actor,
        action="portal_form.attachment_removed",
        obj=form,
        object_repr=f"{form.kind} {form.case_id}",
        data={"attachment": attachment.pk},
    )
    attachment.file.delete(save=False)
    attachment.delete()


# --- question texts --------------------------------------------------------------------


@transaction.atomic
def revise_question_texts(*, actor, form_def: FormDefinition, wordings: dict) -> int:
    """Store a team lead's wording per question (key -> (label, help)).
    Versions already submitted keep the texts they answered."""
    changed = 0
    current = texts.wordings(form_def)
    for key, (label, help_text) in wordings.items():
        if form_def.question(key) is None:
            continue
        if current[key].label == label and current[key].help == help_text:
            continue
        QuestionText.objects.update_or_create(
            form_kind=form_def.kind,
            key=key,
            defaults={"label": label, "help_text": help_text, "updated_by": actor},
        )
        changed += 1
    if changed:
        record_event(
            actor=actor,
            action="portal.questions_revised",
            data={"form": form_def.kind, "changed": changed},
        )
    return changed
