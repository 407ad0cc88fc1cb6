"""Schemes (ordninger): the legal references and the rules of a microloan
programme. Nothing about the law is hard-coded elsewhere: letters quote the
scheme and validations read its limits (SPEC, the scheme paragraph)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import KronerModelField

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
    """A microloan scheme (ordning): legal references and limits."""

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
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("ordning")
        verbose_name_plural = _("ordninger")
        ordering = ["name", "pk"]

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

    @classmethod
    def current(cls) -> "Scheme":
        """The active scheme. A data migration creates the handbook's; if the
        table was emptied (a flushed test database), it is created again."""
        scheme = cls.objects.filter(active=True).order_by("pk").first()
        if scheme is None:
            scheme = cls.objects.create()
        return scheme

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
