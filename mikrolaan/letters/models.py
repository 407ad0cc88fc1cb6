"""The letter record: what was asked for, to whom, and the PDF once made.

A letter is requested (pending), rendered once by a background job
(generated) or given up after its retries (failed). Once generated it is
immutable: the PDF, its SHA-256 and everything it was made from are frozen,
and a correction is a new letter (``version`` + 1) that names the one it
supersedes.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.access_log import RevealsCitizen
from mikrolaan.models import MunicipalityOwned
from mikrolaan.tenancy import MunicipalityOwnedQuerySet, MunicipalityScopedManager

from .storage import get_letter_storage


class LetterImmutableError(Exception):
    """Raised when code tries to change or delete a generated letter."""


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("Under udarbejdelse")
    GENERATED = "generated", _("Dannet")
    FAILED = "failed", _("Fejlet")


# What a generated letter was made from, and what it is.
FROZEN_FIELDS = (
    "kind",
    "case_id",
    "recipient_id",
    "recipient_name",
    "recipient_address",
    "recipient_cpr",
    "subject",
    "context",
    "snapshot",
    "pdf",
    "sha256",
    "template_name",
    "template_version",
    "author_id",
    "created_at",
    "generated_at",
    "version",
    "supersedes_id",
)


class LetterQuerySet(MunicipalityOwnedQuerySet):
    def update(self, **kwargs):
        """Bulk updates may not touch what a generated letter is made of
        (the model's save refuses the same, row by row)."""
        frozen = {f.removesuffix("_id") for f in FROZEN_FIELDS} | set(FROZEN_FIELDS)
        if (frozen | {"status"}) & kwargs.keys() and self.filter(
            status=LetterStatus.GENERATED
        ).exists():
            raise LetterImmutableError("Generated letters cannot change")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=LetterStatus.GENERATED).exists():
            raise LetterImmutableError("Generated letters cannot be deleted")
        return super().delete()


def letter_upload_to(letter, filename):
    # No name or CPR in file names: only ids and a slice of the checksum.
    stamp = timezone.localtime(letter.generated_at or timezone.now())
    return f"{stamp:%Y/%m}/letter-{letter.pk}-v{letter.version}-{letter.sha256[:12]}.pdf"


class Letter(RevealsCitizen, MunicipalityOwned):
    """A letter to a citizen; it belongs to the municipality of its case (or
    recipient) and is written on that municipality's letterhead."""

    municipality_from = ("case", "recipient")
    access_subject = "recipient"
    access_fields = frozenset({"recipient_name", "recipient_address", "recipient_cpr"})

    kind = models.CharField(_("brevtype"), max_length=50, db_index=True)
    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    recipient = models.ForeignKey(
        "applicants.Citizen",
        verbose_name=_("modtager"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    # The recipient block and CPR as they were when the letter was requested.
    recipient_name = models.CharField(_("modtagerens navn"), max_length=200)
    recipient_address = models.TextField(_("modtagerens adresse"), blank=True)
    recipient_cpr = models.CharField(_("modtagerens CPR-nummer"), max_length=10)
    subject = models.CharField(_("emne"), max_length=300)
    context = models.JSONField(_("brevets data"), default=dict, blank=True)
    # Letterhead, contact person and scheme texts, frozen at request time.
    snapshot = models.JSONField(_("brevhoved og ordning"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LetterStatus.choices,
        default=LetterStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    # The claim of the job rendering the letter (see tasks.generate_letter).
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(
        _("PDF"), storage=get_letter_storage, upload_to=letter_upload_to, blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    template_name = models.CharField(_("skabelon"), max_length=200)
    template_version = models.CharField(_("skabelonens version"), max_length=20)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestilt af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("bestilt"), default=timezone.now, db_index=True)
    generated_at = models.DateTimeField(_("dannet"), null=True, blank=True)
    notified_at = models.DateTimeField(_("borger underrettet"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("erstatter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    objects = MunicipalityScopedManager.from_queryset(LetterQuerySet)()

    class Meta:
        verbose_name = _("brev")
        verbose_name_plural = _("breve")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "claimed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="generated") | ~models.Q(sha256=""),
                name="letter_generated_has_sha256",
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        if loaded and loaded.get("status") == LetterStatus.GENERATED:
            changed = [
                f
                for f in FROZEN_FIELDS
                if f in loaded and _db_value(self, f) != _db_value_loaded(loaded, f)
            ]
            if changed or self.status != LetterStatus.GENERATED:
                raise LetterImmutableError(
                    f"Letter {self.pk} is generated and cannot change: "
                    f"{', '.join(changed) or 'status'}"
                )
        super().save(*args, **kwargs)
        self._loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}
        self._loaded["pdf"] = self.pdf.name if self.pdf else ""

    def delete(self, *args, **kwargs):
        if self.status == LetterStatus.GENERATED:
            raise LetterImmutableError(f"Letter {self.pk} is generated and cannot be deleted")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def access_label(self) -> str:
        return self.__dict__.get("recipient_name", "")

    @property
    def is_generated(self) -> bool:
        return self.status == LetterStatus.GENERATED

    @property
    def is_failed(self) -> bool:
        return self.status == LetterStatus.FAILED

    @property
    def kind_title(self) -> str:
        from .registry import LetterKindError, get_kind

        try:
            return str(get_kind(self.kind).title)
        except LetterKindError:
            return self.kind

    @property
    def recipient_address_lines(self) -> list[str]:
        return [line for line in self.recipient_address.splitlines() if line.strip()]


def _db_value(letter, field):
    value = getattr(letter, field)
    if field == "pdf":
        return value.name if value else ""
    return value


def _db_value_loaded(loaded, field):
    value = loaded[field]
    if field == "pdf":
        return getattr(value, "name", value) or ""
    return value
