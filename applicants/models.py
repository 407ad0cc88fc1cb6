"""Citizens and their cases (forløb). The pipeline issue grows this into the
full state machine; the fields here are the contract the letters engine uses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Citizen(models.Model):
    """A citizen (borger / iværksætter). Nothing about health, by design."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen",
    )
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    cpr = models.CharField(_("CPR-nummer"), max_length=10, unique=True)
    street = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Case(models.Model):
    """One citizen's course of events (forløb), identified by its journalnummer."""

    case_number = models.CharField(_("journalnummer"), max_length=30, unique=True)
    citizen = models.ForeignKey(
        Citizen, verbose_name=_("borger"), on_delete=models.PROTECT, related_name="cases"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_cases",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.case_number} {self.citizen}"
