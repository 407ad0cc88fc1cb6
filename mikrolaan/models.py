"""What every app shares: municipalities (the owner of every citizen's
data, with letterhead, contact, links and scheme), who belongs to which,
the audit trail and the access log."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr as stdnum_cvr

from .fields import KronerModelField
from .tenancy import MunicipalityScopedManager, current_municipality_id, scope_queryset


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


class ScopedAppendOnlyManager(models.Manager.from_queryset(AppendOnlyQuerySet)):
    """The audit trail and the access log, seen from a municipality: its own rows."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset())


class AuditEvent(AppendOnlyModel):
    """Who did what to which object, when, from which state to which, and why.

    ``municipality`` is the municipality whose data the event is about; it is
    empty only for events of the installation itself (a retention purge)."""

    municipality = models.ForeignKey(
        "mikrolaan.Municipality",
        verbose_name=_("kommune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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

    objects = ScopedAppendOnlyManager()

    class Meta:
        verbose_name = _("hændelse i revisionsspor")
        verbose_name_plural = _("revisionsspor")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["municipality", "-created_at"], name="audit_municipality_newest"),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )


class AccessLogEntry(AppendOnlyModel):
    """A read of a citizen's personal data: who, when, whose, what.

    Written on every page view that shows personal data, up to 50 rows at a
    time, so its foreign keys are not checked by the database: three deferred
    constraint checks per row cost PostgreSQL more than the insert itself.
    The rows are written by one function (``mikrolaan.access_log``) from the
    request's own user, municipality and content types, and deleting any of
    those is still refused (``PROTECT`` is enforced by Django). The
    municipality's and the subject type's own indexes would duplicate the
    composite indexes that lead with them."""

    municipality = models.ForeignKey(
        "mikrolaan.Municipality",
        verbose_name=_("kommune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("læst af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("læst af (navn)"), max_length=200, blank=True)
    # Whose data: usually a citizen (applicants.Citizen); generic so that the
    # shared package does not import the apps.
    subject_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_repr = models.CharField(_("hvis data"), max_length=300, blank=True)
    what = models.CharField(_("hvad"), max_length=300)
    path = models.CharField(_("side"), max_length=500, blank=True)

    objects = ScopedAppendOnlyManager()

    class Meta:
        verbose_name = _("opslag i personoplysninger")
        verbose_name_plural = _("adgangslog")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "created_at"]),
            models.Index(
                fields=["municipality", "-created_at"], name="accesslog_municipality_newest"
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.what}"


def validate_cvr(value: str) -> None:
    if value and not stdnum_cvr.is_valid(value):
        raise ValidationError(_("Ugyldigt CVR-nummer: skriv 8 cifre."))


validate_municipality_code = RegexValidator(
    r"^\d{3}$", _("Kommunekoden er 3 cifre, fx 751 for Aarhus Kommune.")
)
validate_fi_creditor = RegexValidator(r"^\d{8}$", _("FI-kreditornummeret er 8 cifre."))


class Municipality(models.Model):
    """A municipality (kommune): the owner of every citizen's data, with its
    letterhead, contact details, links and its own scheme. One installation
    may serve many; nobody sees across the line but Django's superuser."""

    name = models.CharField(_("kommunens navn"), max_length=200, default="Eksempel Kommune")
    code = models.CharField(
        _("kommunekode"),
        max_length=3,
        unique=True,
        validators=[validate_municipality_code],
        help_text=_("3 cifre, fx 751. Indgår i journalnumrene og ændres ikke."),
    )
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
    fi_creditor_number = models.CharField(
        _("FI-kreditornummer"),
        max_length=8,
        blank=True,
        validators=[validate_fi_creditor],
        help_text=_("8 cifre. Står på indbetalingskortet (+71) på låneaftalen."),
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    # What the municipality's administrator edits in the app (form and
    # service share it). The code is fixed once case numbers carry it.
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
        "fi_creditor_number",
    )

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name", "pk"]

    def __str__(self):
        return str(self.name)

    @property
    def address_line(self) -> str:
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, place) if p)

    def current_scheme(self) -> "Scheme":
        """The municipality's active scheme; a municipality that has none
        gets one with the handbook's values (the default)."""
        scheme = Scheme.objects.filter(municipality=self, active=True).order_by("pk").first()
        if scheme is None:
            scheme = Scheme.objects.create(municipality=self)
        return scheme


class UserProfile(models.Model):
    """Which municipality a user belongs to. Staff, caseworkers, mentors and
    administrators are given one; a citizen's follows their case."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        verbose_name = _("brugerens kommune")
        verbose_name_plural = _("brugernes kommuner")

    def __str__(self):
        return f"{self.user} ({self.municipality})"


class MunicipalityOwned(models.Model):
    """A row that holds a citizen's data: it belongs to exactly one
    municipality, and the default manager only finds the rows of the
    municipality of the request being served (see :mod:`mikrolaan.tenancy`).

    ``municipality_from`` names the foreign keys whose municipality a new
    row inherits when none is given (a meeting takes its case's); a row whose
    parents belong to another municipality is refused on save."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    # The foreign keys (to other municipality-owned rows) whose municipality
    # this row shares: a new row inherits it, and a mismatch is refused.
    municipality_from: tuple[str, ...] = ()

    objects = MunicipalityScopedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Checked when the row is made: the municipality never changes after.
        if self._state.adding:
            parents = self._parent_municipality_ids()
            if self.municipality_id is None:
                self.municipality_id = next(iter(parents), None) or current_municipality_id()
            if parents - {self.municipality_id}:
                raise ValueError(
                    f"{type(self).__name__} of municipality {self.municipality_id} cannot "
                    f"refer to rows of municipality {sorted(parents)}"
                )
        super().save(*args, **kwargs)

    def _parent_municipality_ids(self) -> set[int]:
        ids = set()
        for name in self.municipality_from:
            if getattr(self, f"{name}_id", None) is not None:
                ids.add(getattr(self, name).municipality_id)
        return ids


# The handbook's values (Mikrolån – for arbejdsledige i Danmark, 2012).
DEFAULT_NAME = "Mikrolån"
DEFAULT_LEGAL_BASIS_SUPPORT = "aktivloven § 65, stk. 3"
DEFAULT_LEGAL_BASIS_LOAN = "aktivloven § 65"
DEFAULT_LEGAL_BASIS_TEXT = (
    "Afgørelsen er truffet efter lov om aktiv socialpolitik (aktivloven) § 65 "
    "om hjælp til etablering af selvstændig virksomhed."
)
DEFAULT_COMPLAINTS_TEXT = (
    "Hvis du er uenig i afgørelsen, kan du klage. Du skal klage til kommunen "
    "senest 4 uger efter, at du har modtaget afgørelsen. Du kan klage skriftligt "
    "eller mundtligt, fx ved at skrive eller ringe til din kontaktperson.\n\n"
    "Når vi har modtaget din klage, vurderer vi afgørelsen igen. Hvis vi giver dig "
    "helt eller delvist ret, får du en ny afgørelse. Hvis vi fastholder afgørelsen, "
    "sender vi din klage videre til Ankestyrelsen senest 4 uger efter, at vi har "
    "modtaget den. Du får besked, når klagen er sendt videre."
)
DEFAULT_ACCESS_TEXT = (
    "Du har ret til at se de oplysninger, som kommunen har om dig i sagen "
    "(aktindsigt), jf. forvaltningslovens § 9. Kontakt din kontaktperson, hvis du "
    "vil have aktindsigt. Henvend dig også, hvis du mener, at der er oplysninger i "
    "sagen, som er forkerte."
)


class Scheme(models.Model):
    """A municipality's microloan scheme (ordning): the legal references that
    letters quote and the limits that validations read. Nothing about the law
    is hard-coded elsewhere (SPEC, the scheme paragraph)."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="schemes",
    )
    name = models.CharField(_("navn"), max_length=200, default=DEFAULT_NAME)
    legal_basis_support = models.CharField(
        _("hjemmel for tilskud til forsørgelse"),
        max_length=300,
        default=DEFAULT_LEGAL_BASIS_SUPPORT,
    )
    legal_basis_loan = models.CharField(
        _("hjemmel for lån"), max_length=300, default=DEFAULT_LEGAL_BASIS_LOAN
    )
    legal_basis_text = models.TextField(
        _("generel hjemmel i afgørelser"), default=DEFAULT_LEGAL_BASIS_TEXT
    )
    loan_maximum = KronerModelField(
        _("lånets maksimum (kr.)"),
        default=Decimal("50000"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    recommended_minimum = KronerModelField(
        _("anbefalet lån, fra (kr.)"),
        default=Decimal("30000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    recommended_maximum = KronerModelField(
        _("anbefalet lån, til (kr.)"),
        default=Decimal("50000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    term_months = models.PositiveSmallIntegerField(
        _("løbetid (måneder)"), default=120, validators=[MinValueValidator(1)]
    )
    support_months = models.PositiveSmallIntegerField(
        _("tilskud til forsørgelse (måneder)"), default=6, validators=[MinValueValidator(1)]
    )
    extension_cap_months = models.PositiveSmallIntegerField(
        _("forlængelse i alt højst (måneder)"), default=6
    )
    extension_step_min_months = models.PositiveSmallIntegerField(
        _("forlængelse ad gangen, mindst (måneder)"), default=1, validators=[MinValueValidator(1)]
    )
    extension_step_max_months = models.PositiveSmallIntegerField(
        _("forlængelse ad gangen, højst (måneder)"), default=3, validators=[MinValueValidator(1)]
    )
    complaints_text = models.TextField(_("klagevejledning"), default=DEFAULT_COMPLAINTS_TEXT)
    access_text = models.TextField(_("tekst om aktindsigt"), default=DEFAULT_ACCESS_TEXT)
    active = models.BooleanField(_("aktiv"), default=True)
    # The handbook's references are from 2012 and the law has changed since:
    # someone must confirm the legal texts, and confirm them again after a change.
    legal_texts_confirmed_at = models.DateTimeField(
        _("hjemmelsteksterne bekræftet"), null=True, blank=True, editable=False
    )
    legal_texts_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hjemmelsteksterne bekræftet af"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    # Changing any of these takes the confirmation away.
    LEGAL_TEXT_FIELDS = (
        "legal_basis_support",
        "legal_basis_loan",
        "legal_basis_text",
        "complaints_text",
        "access_text",
    )

    class Meta:
        verbose_name = _("ordning")
        verbose_name_plural = _("ordninger")
        ordering = ["municipality", "name", "pk"]

    def __str__(self):
        return str(self.name)

    def clean(self):
        errors = {}
        if self.recommended_minimum > self.recommended_maximum:
            errors["recommended_minimum"] = _(
                "Det anbefalede beløb 'fra' må ikke være større end 'til'."
            )
        if self.recommended_maximum > self.loan_maximum:
            errors["recommended_maximum"] = _(
                "Det anbefalede beløb må ikke være større end lånets maksimum."
            )
        if self.extension_step_min_months > self.extension_step_max_months:
            errors["extension_step_min_months"] = _(
                "Den mindste forlængelse må ikke være større end den største."
            )
        if self.extension_step_max_months > self.extension_cap_months:
            errors["extension_step_max_months"] = _(
                "En forlængelse ad gangen må ikke være større end forlængelsen i alt."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def legal_texts_confirmed(self) -> bool:
        return self.legal_texts_confirmed_at is not None

    def letter_snapshot(self) -> dict:
        """What decision letters quote, frozen into the letter when requested."""
        return {
            "name": self.name,
            "legal_basis_support": self.legal_basis_support,
            "legal_basis_loan": self.legal_basis_loan,
            "legal_basis_text": self.legal_basis_text,
            "complaints_text": self.complaints_text,
            "access_text": self.access_text,
        }
