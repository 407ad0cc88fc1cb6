"""The citizen's forms: a draft per case and kind, the numbered versions the
citizen submits (frozen, with the question texts they answered), the team's
comments per section, attachments, the question texts a team lead revises,
and the sign-in link requests counted for the rate limit."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.access_log import RevealsCitizen
from mikrolaan.models import MunicipalityOwned

from .definitions import FormKind
from .storage import get_attachment_storage


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    SUBMITTED = "submitted", _("Sendt – venter på svar")
    SENT_BACK = "sent_back", _("Sendt tilbage med kommentarer")
    ACCEPTED = "accepted", _("Godkendt")


class ReceivedAs(models.TextChoices):
    """How the team got the answers of a version it registered for the
    citizen (empty: the citizen sent it in the portal)."""

    PAPER = "paper", _("papir")
    MEETING = "meeting", _("udfyldt sammen på et møde")


class PortalForm(RevealsCitizen, MunicipalityOwned):
    """One form of one case: the citizen's working draft (saved as they
    type, from any device) and the state of the latest submitted version."""

    municipality_from = ("case", "citizen")
    access_subject = "citizen"
    access_fields = frozenset({"draft"})

    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.CASCADE,
        related_name="portal_forms",
    )
    citizen = models.ForeignKey(
        "applicants.Citizen",
        verbose_name=_("borger"),
        on_delete=models.CASCADE,
        related_name="portal_forms",
    )
    kind = models.CharField(_("skema"), max_length=30, choices=FormKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=FormStatus.choices, default=FormStatus.DRAFT
    )
    draft = models.JSONField(_("kladde"), default=dict, blank=True)
    draft_saved_at = models.DateTimeField(_("kladde gemt"), null=True, blank=True)
    # Raised at every save of the draft: a second device sees that it changed.
    draft_revision = models.PositiveIntegerField(_("kladdens udgave"), default=0)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("skema")
        verbose_name_plural = _("skemaer")
        ordering = ["case", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="applicants_portalform_per_case")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.case_id})"

    @property
    def is_editable(self) -> bool:
        return self.status != FormStatus.SUBMITTED


class FormVersion(RevealsCitizen, MunicipalityOwned):
    """A submitted version, frozen: the answers, and the question texts as
    the citizen saw them (``questions``: the steps with their titles and
    questions), so a later revision of the texts never changes what was
    answered."""

    municipality_from = ("form", "citizen")
    access_subject = "citizen"
    access_fields = frozenset({"answers"})

    form = models.ForeignKey(
        PortalForm, verbose_name=_("skema"), on_delete=models.CASCADE, related_name="versions"
    )
    citizen = models.ForeignKey(
        "applicants.Citizen",
        verbose_name=_("borger"),
        on_delete=models.CASCADE,
        related_name="form_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    answers = models.JSONField(_("svar"), default=dict)
    questions = models.JSONField(_("spørgsmål"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=FormStatus.choices, default=FormStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("sendt"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when a team member registered the version for the citizen
    # (``submitted_by`` is then the staff member).
    received_as = models.CharField(
        _("modtaget som"), max_length=20, choices=ReceivedAs.choices, blank=True
    )
    reviewed_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandlet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_message = models.TextField(_("besked til borgeren"), blank=True)

    class Meta:
        verbose_name = _("version af skema")
        verbose_name_plural = _("versioner af skemaer")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="applicants_formversion_number")
        ]

    def __str__(self):
        return f"{self.form_id} v{self.number}"


class SectionComment(MunicipalityOwned):
    """The team's comment on one section (step) of a submitted version; the
    citizen reads it in the portal when the version is sent back."""

    municipality_from = ("version",)

    version = models.ForeignKey(
        FormVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="comments"
    )
    section = models.CharField(_("afsnit"), max_length=50)
    text = models.TextField(_("kommentar"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet af"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skrevet"), default=timezone.now)

    class Meta:
        verbose_name = _("kommentar til skema")
        verbose_name_plural = _("kommentarer til skemaer")
        ordering = ["version", "section", "created_at", "id"]

    def __str__(self):
        return f"{self.version_id} {self.section}"


def _attachment_path(instance, filename):
    return f"{instance.municipality_id}/{instance.form.case_id}/{uuid.uuid4().hex}"


class Attachment(MunicipalityOwned):
    """A file the citizen attached to a form (the business plan). The type is
    checked by content; the file lives in the private ``attachments``
    storage. A file becomes part of the version it was submitted with and
    cannot be removed after."""

    municipality_from = ("form", "citizen")

    form = models.ForeignKey(
        PortalForm, verbose_name=_("skema"), on_delete=models.CASCADE, related_name="attachments"
    )
    citizen = models.ForeignKey(
        "applicants.Citizen",
        verbose_name=_("borger"),
        on_delete=models.CASCADE,
        related_name="form_attachments",
    )
    version = models.ForeignKey(
        FormVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(
        _("fil"), storage=get_attachment_storage, upload_to=_attachment_path, max_length=300
    )
    original_name = models.CharField(_("filnavn"), max_length=255)
    content_type = models.CharField(_("filtype"), max_length=100)
    size = models.PositiveIntegerField(_("størrelse (bytes)"))
    uploaded_at = models.DateTimeField(_("vedhæftet"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vedhæftet af"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class QuestionText(MunicipalityOwned):
    """A team lead's wording of one question (label and help text) for the
    municipality; without a row the default of ``definitions`` applies."""

    form_kind = models.CharField(_("skema"), max_length=30, choices=FormKind.choices)
    key = models.CharField(_("spørgsmål"), max_length=50)
    label = models.CharField(_("spørgsmålets tekst"), max_length=300)
    help_text = models.CharField(_("hjælpetekst"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ændret af"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("spørgsmålstekst")
        verbose_name_plural = _("spørgsmålstekster")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "form_kind", "key"], name="applicants_questiontext_key"
            )
        ]

    def __str__(self):
        return f"{self.form_kind}.{self.key}"


class SignInRequest(models.Model):
    """A request for a sign-in link, kept for an hour or so to count against
    the rate limits. No e-mail address is stored: ``address_hash`` is an
    HMAC of it under the secret key."""

    address_hash = models.CharField(max_length=64, db_index=True)
    ip_address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("anmodning om login-link")
        verbose_name_plural = _("anmodninger om login-link")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.ip_address}"
