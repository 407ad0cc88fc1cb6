"""What every app shares: the audit trail, the access log and the
municipality's settings (letterhead, contact, accessibility statement)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr as stdnum_cvr


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit or access-log row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """A row is written once and never changed or deleted by the application.

    Retention (the access log is kept 6 months) is the one exception and goes
    through :meth:`AccessLogEntry.purge_older_than`, which deletes at the SQL
    level on purpose and writes an audit row saying so.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class AuditEvent(AppendOnlyModel):
    """Who did what to which object, when, from which state to which, and why."""

    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("udført af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too, so the row stays readable if a user is anonymised.
    actor_label = models.CharField(_("udført af (navn)"), max_length=200, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    action = models.CharField(_("handling"), max_length=100, db_index=True)
    from_state = models.CharField(_("fra"), max_length=100, blank=True)
    to_state = models.CharField(_("til"), max_length=100, blank=True)
    reason = models.TextField(_("begrundelse"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("hændelse i revisionsspor")
        verbose_name_plural = _("revisionsspor")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )


class AccessLogEntry(AppendOnlyModel):
    """A read of a citizen's personal data: who, when, whose, what."""

    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("læst af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("læst af (navn)"), max_length=200, blank=True)
    # Whose data: usually a citizen (applicants.Citizen); generic so that the
    # shared package does not import the apps.
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_repr = models.CharField(_("hvis data"), max_length=300, blank=True)
    what = models.CharField(_("hvad"), max_length=300)
    path = models.CharField(_("side"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("opslag i personoplysninger")
        verbose_name_plural = _("adgangslog")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.what}"


def validate_cvr(value: str) -> None:
    if value and not stdnum_cvr.is_valid(value):
        raise ValidationError(_("Ugyldigt CVR-nummer: skriv 8 cifre."))


class MunicipalitySettings(models.Model):
    """One row: the municipality's letterhead, contact details and links."""

    name = models.CharField(_("kommunens navn"), max_length=200, default="Eksempel Kommune")
    department = models.CharField(
        _("afdeling"), max_length=200, blank=True, default="Jobcenter — Mikrolånsteamet"
    )
    street = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postnummer"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("Postnummeret skal være 4 cifre."))],
    )
    city = models.CharField(_("by"), max_length=100, blank=True)
    cvr = models.CharField(_("CVR-nummer"), max_length=8, blank=True, validators=[validate_cvr])
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("webadresse"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="municipality/", blank=True)
    accessibility_statement_url = models.URLField(
        _("adresse på tilgængelighedserklæringen"), blank=True
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    # What the administrator edits in the app (form and service share it).
    EDITABLE_FIELDS = (
        "name",
        "department",
        "street",
        "postcode",
        "city",
        "cvr",
        "phone",
        "email",
        "website",
        "logo",
        "accessibility_statement_url",
    )

    class Meta:
        verbose_name = _("kommunens indstillinger")
        verbose_name_plural = _("kommunens indstillinger")

    def __str__(self):
        return str(self.name)

    @classmethod
    def load(cls) -> "MunicipalitySettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def address_line(self) -> str:
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, place) if p)
