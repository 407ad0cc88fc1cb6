"""The team lead's settings behind the reports: the business case's
assumptions, the programme set-up checklist (handbook: "Intern organisering"
and "Intern information") and the team's competence matrix (handbook pp.
12–13). None of them holds a citizen's data."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import KronerModelField
from mikrolaan.models import MunicipalityOwned


class BusinessCaseAssumptions(MunicipalityOwned):
    """What the business case assumes, per municipality; printed beside the
    result. The defaults are round figures a team lead replaces with the
    municipality's own."""

    benefit_saved_per_month = KronerModelField(
        _("sparet forsørgelse pr. måned pr. selvforsørgende borger (kr.)"),
        default=Decimal("15000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    support_cost_per_month = KronerModelField(
        _("tilskud til forsørgelse pr. måned (kr.)"),
        default=Decimal("15000"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Bruges, indtil lånemodulet har de faktiske udbetalinger."),
    )
    team_cost_per_year = KronerModelField(
        _("teamets udgift pr. år (kr.)"),
        default=Decimal("600000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    horizon_years = models.PositiveSmallIntegerField(
        _("tidshorisont (år)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ændret af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ændret"), null=True, blank=True)

    class Meta:
        verbose_name = _("forudsætninger for business casen")
        verbose_name_plural = _("forudsætninger for business casen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], name="applicants_business_case_per_municipality"
            )
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class SetupItem(models.TextChoices):
    """The handbook's set-up phases (Intern organisering, uge 1–8; Intern
    information, uge 4–16; Forudsætninger og organisering)."""

    LEADERSHIP = "leadership", _("Ledelsesopbakning og -information")
    STAFF_FUNCTION = "staff_function", _("Stabsfunktion (mikrolånsteamet) etableret")
    DEVELOPMENT_FUNCTION = "development_function", _("Udviklings- og supportfunktion nedsat")
    LEGAL_SUPPORT = "legal_support", _("Juridisk support aftalt")
    INFORMATION_MATERIAL = "information_material", _("Informationsmateriale til sagsbehandlere")
    CASEWORKER_MEETINGS = "caseworker_meetings", _("Informationsmøder for medarbejdere")


SETUP_GUIDANCE = {
    SetupItem.LEADERSHIP: _(
        "Den overordnede ledelse sikrer, at ledelsen i de relevante forvaltninger og "
        "afdelinger bakker op (uge 1–8)."
    ),
    SetupItem.STAFF_FUNCTION: _(
        "Et operativt team med en jobkonsulent som erhvervscoach og mikrolånsmedarbejder; "
        "se kompetencematrixen (uge 1–8)."
    ),
    SetupItem.DEVELOPMENT_FUNCTION: _(
        "Sikrer, at modellen tilpasses og implementeres; formelle kompetencer afklaret, "
        "fx om borgeren beholder sin sagsbehandler (uge 1–8)."
    ),
    SetupItem.LEGAL_SUPPORT: _(
        "Adgang ad hoc til social- og beskæftigelsesjura, gerne på senior- eller chefniveau."
    ),
    SetupItem.INFORMATION_MATERIAL: _(
        "Materiale til sagsbehandlerne og kommunens intranet, med henvisningslinket (uge 4–16)."
    ),
    SetupItem.CASEWORKER_MEETINGS: _(
        "Møder i fx de decentrale jobcentre og hos serviceleverandører (uge 4–16)."
    ),
}


class SetupCheck(MunicipalityOwned):
    """One ticked (or unticked) item of a programme's set-up checklist, with
    who ticked it and when."""

    municipality_from = ("programme",)

    programme = models.ForeignKey(
        "applicants.Programme",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="setup_checks",
    )
    item = models.CharField(_("punkt"), max_length=30, choices=SetupItem.choices)
    done = models.BooleanField(_("på plads"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afkrydset af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticked_at = models.DateTimeField(_("afkrydset"), null=True, blank=True)

    class Meta:
        verbose_name = _("punkt i opstartstjeklisten")
        verbose_name_plural = _("punkter i opstartstjeklisten")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "item"], name="applicants_setup_check_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.programme_id}: {self.item}"


class Competence(models.TextChoices):
    """The staff function's competences (handbook pp. 12–13): they need not
    sit in one person, but the team as a whole must have them."""

    SELF_EMPLOYMENT = "self_employment", _("Erfaring som selvstændig")
    BUSINESS_ECONOMICS = "business_economics", _("Erhvervsøkonomi")
    MARKETING_SALES = "marketing_sales", _("Markedsføring og salg")
    SOCIAL_WORK = "social_work", _("Socialfaglighed")
    NETWORKING = "networking", _("Netværksdannelse og -facilitering")
    MUNICIPALITY = "municipality", _("Kendskab til kommunen")
    CASE_HANDLING = "case_handling", _("Sagsbehandling")


class TeamMember(MunicipalityOwned):
    """A person in the staff function: their share of a full-time
    equivalent and the competences they bring."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medarbejder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    fte = models.DecimalField(
        _("årsværk"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Andel af et fuldt årsværk i mikrolånsteamet, fx 0,5."),
    )
    competences = models.JSONField(_("kompetencer"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ændret af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("medlem af stabsfunktionen")
        verbose_name_plural = _("stabsfunktionen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], name="applicants_team_member_once"
            )
        ]

    def __str__(self):
        return str(self.user_id)
