"""Subsistence support (tilskud til forsørgelse, SPEC §6), the loan with its
state machine and four eyes, and the repayment plan (SPEC §7).

The scheme (ordning) — the legal references and limits — belongs to the
municipality and lives in the shared package: ``mikrolaan.models.Scheme``,
read through ``Municipality.current_scheme()``.

A loan belongs to its borrower (``citizen``) and was recommended on a case;
it outlives the case: closing a case never closes or changes the loan.

Names the repayment work relies on:
Loan.citizen, case, principal, state, payment_id, due_day, term_months,
disbursed_on, terms; RepaymentPlan.loan, version, is_current, principal,
term_months, starts_after (date), reason, created_by, created_at;
Instalment.plan, seq, due_date, amount (whole kroner)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from mikrolaan.access_log import RevealsCitizen
from mikrolaan.fields import KronerModelField
from mikrolaan.models import MunicipalityOwned

from .schedule import LAST_DAY, fi_line

validate_reg_no = RegexValidator(r"^\d{4}$", _("Registreringsnummeret er 4 cifre."))
validate_account_no = RegexValidator(r"^\d{1,10}$", _("Kontonummeret er op til 10 cifre."))
validate_payment_id = RegexValidator(r"^\d{15}$", _("Betalings-id'et er 15 cifre."))


# --- the loan ------------------------------------------------------------------------


class LoanState(models.TextChoices):
    RECOMMENDED = "recommended", _("Indstillet")
    APPROVED = "approved", _("Godkendt")
    DISBURSED = "disbursed", _("Udbetalt")
    REPAID = "repaid", _("Tilbagebetalt")
    CANCELLED = "cancelled", _("Annulleret")
    WRITTEN_OFF = "written_off", _("Afskrevet")


# A loan still owed (or about to be): the states a case's closing letters
# speak of as "your loan keeps running".
RUNNING_STATES = (LoanState.APPROVED, LoanState.DISBURSED)
OPEN_STATES = (LoanState.RECOMMENDED, LoanState.APPROVED, LoanState.DISBURSED)


# Permissions: (instance, user) callables.
def staff_only(loan, user) -> bool:
    from mikrolaan.roles import is_staff_member

    return is_staff_member(user)


def team_lead_only(loan, user) -> bool:
    from mikrolaan.roles import Role, has_role

    return has_role(user, Role.TEAM_LEAD)


class Loan(RevealsCitizen, ConcurrentTransitionMixin, MunicipalityOwned):
    """An interest- and fee-free loan (SPEC §7). Recommended by the team at
    screening 3, approved by a team lead who did not recommend it (four
    eyes), paid out, repaid — or cancelled before payout, or written off."""

    municipality_from = ("case", "citizen")
    access_subject = "citizen"
    access_fields = frozenset({"bank_reg_no", "bank_account_no"})

    citizen = models.ForeignKey(
        "applicants.Citizen",
        verbose_name=_("låntager"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    screening = models.ForeignKey(
        "screening.Screening",
        verbose_name=_("indstillet ved"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    principal = KronerModelField(
        _("lånebeløb (kr.)"), validators=[MinValueValidator(1)], help_text=_("Hele kroner.")
    )
    state = FSMField(
        _("status"), default=LoanState.RECOMMENDED, choices=LoanState.choices, protected=True
    )
    payment_id = models.CharField(
        _("betalings-id (+71)"), max_length=15, unique=True, validators=[validate_payment_id]
    )
    due_day = models.PositiveSmallIntegerField(
        _("forfaldsdag"),
        default=LAST_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Dag i måneden. 29–31 betyder månedens sidste dag i korte måneder."),
    )
    term_months = models.PositiveSmallIntegerField(
        _("løbetid (måneder)"), validators=[MinValueValidator(1)]
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("indstillet af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommended_at = models.DateTimeField(_("indstillet"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkendt af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    # The scheme's terms the loan was approved under (name, legal basis,
    # maximum, term, interest, fees) as they stood at approval.
    terms = models.JSONField(_("vilkår ved godkendelsen"), default=dict, blank=True)
    disbursed_on = models.DateField(_("udbetalt den"), null=True, blank=True)
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("udbetaling bekræftet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    repaid_on = models.DateField(_("tilbagebetalt den"), null=True, blank=True)
    closed_reason = models.TextField(_("begrundelse for annullering eller afskrivning"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulleret eller afskrevet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("annulleret eller afskrevet"), null=True, blank=True)
    # The borrower's account at the partner bank, for the payout.
    bank_reg_no = models.CharField(
        _("reg.nr."), max_length=4, blank=True, validators=[validate_reg_no]
    )
    bank_account_no = models.CharField(
        _("kontonummer"), max_length=10, blank=True, validators=[validate_account_no]
    )
    # The borrower's consent to the team's read access to the account
    # ("kig-adgang", handbook p. 9).
    read_access_consent_on = models.DateField(
        _("samtykke til kig-adgang givet"), null=True, blank=True
    )
    read_access_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("samtykke registreret af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    read_access_consent_at = models.DateTimeField(_("samtykke registreret"), null=True, blank=True)
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("låneaftale"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("lån")
        verbose_name_plural = _("lån")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open loan per case: a second recommendation is refused while one runs.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state__in=["recommended", "approved", "disbursed"]),
                name="loans_one_open_loan_per_case",
            ),
            models.CheckConstraint(condition=Q(principal__gte=1), name="loans_principal_positive"),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "state", "-created_at"], name="loans_state_newest"
            ),
            models.Index(fields=["municipality", "disbursed_on"], name="loans_disbursed_on"),
        ]

    def __str__(self):
        return f"{_('Lån')} {self.payment_id}"

    def audit_label(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_reg_no and self.bank_account_no)

    @property
    def bank_account(self) -> str:
        return f"{self.bank_reg_no} {self.bank_account_no}" if self.has_bank_account else ""

    @property
    def is_running(self) -> bool:
        return self.state in RUNNING_STATES

    def fi_line(self) -> str:
        return fi_line(self.payment_id, self.municipality.fi_creditor_number)

    # --- transitions (bodies change fields only; loans.services runs them) ---------

    @transition(
        state,
        source=LoanState.RECOMMENDED,
        target=LoanState.APPROVED,
        permission=team_lead_only,
        custom={"label": _("Godkend lånet")},
    )
    def approve(self):
        pass

    @transition(
        state,
        source=LoanState.APPROVED,
        target=LoanState.DISBURSED,
        permission=staff_only,
        custom={"label": _("Registrér udbetalingen")},
    )
    def disburse(self):
        pass

    @transition(
        state,
        source=LoanState.DISBURSED,
        target=LoanState.REPAID,
        permission=staff_only,
        custom={"label": _("Lånet er tilbagebetalt")},
    )
    def mark_repaid(self):
        pass

    @transition(
        state,
        source=[LoanState.RECOMMENDED, LoanState.APPROVED],
        target=LoanState.CANCELLED,
        permission=staff_only,
        custom={"label": _("Annullér lånet"), "needs_reason": True, "confirm": True},
    )
    def cancel(self):
        pass

    @transition(
        state,
        source=LoanState.DISBURSED,
        target=LoanState.WRITTEN_OFF,
        permission=team_lead_only,
        custom={"label": _("Afskriv lånet"), "needs_reason": True, "confirm": True},
    )
    def write_off(self):
        pass

    # A reversal can take back money a repaid loan counted on: it runs again.
    @transition(
        state,
        source=LoanState.REPAID,
        target=LoanState.DISBURSED,
        permission=staff_only,
        custom={"label": _("Lånet løber igen")},
    )
    def reopen(self):
        pass


class LoanTransition(MunicipalityOwned):
    """One step of a loan's history: who, when, from, to, why."""

    municipality_from = ("loan",)

    loan = models.ForeignKey(
        Loan, verbose_name=_("lån"), on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("udført af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transition = models.CharField(_("handling"), max_length=50)
    from_state = models.CharField(_("fra"), max_length=20, choices=LoanState.choices)
    to_state = models.CharField(_("til"), max_length=20, choices=LoanState.choices)
    reason = models.TextField(_("begrundelse"), blank=True)
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("statusskift for lån")
        verbose_name_plural = _("statusskift for lån")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["loan", "-at"], name="loans_transition_loan_at")]

    def __str__(self):
        return f"{self.loan_id}: {self.from_state} → {self.to_state}"


# --- the repayment plan ---------------------------------------------------------------


class RepaymentPlan(MunicipalityOwned):
    """One version of a loan's repayment plan. The first is made at payout;
    a rescheduling makes a new version and keeps the old one as history
    (exactly one plan of a loan is current)."""

    municipality_from = ("loan",)

    loan = models.ForeignKey(
        Loan, verbose_name=_("lån"), on_delete=models.PROTECT, related_name="plans"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("gældende"), default=True)
    principal = KronerModelField(_("beløb, planen afvikler (kr.)"))
    term_months = models.PositiveSmallIntegerField(_("antal rater"))
    # The plan's first instalment falls due in the month after this date
    # (the payout, or a rescheduling's start).
    starts_after = models.DateField(_("regnet fra"))
    due_day = models.PositiveSmallIntegerField(_("forfaldsdag"), default=LAST_DAY)
    reason = models.TextField(_("begrundelse"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("afdragsplan")
        verbose_name_plural = _("afdragsplaner")
        ordering = ["loan_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "version"], name="loans_plan_version"),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(is_current=True), name="loans_one_current_plan"
            ),
        ]

    def __str__(self):
        return f"{self.loan_id} v{self.version}"


class Instalment(MunicipalityOwned):
    """One monthly instalment (rate) of a plan: whole kroner."""

    municipality_from = ("plan",)

    plan = models.ForeignKey(
        RepaymentPlan,
        verbose_name=_("afdragsplan"),
        on_delete=models.CASCADE,
        related_name="instalments",
        # The unique (plan, seq) and the (plan, due_date) indexes lead with it.
        db_index=False,
    )
    seq = models.PositiveSmallIntegerField(_("rate nr."))
    due_date = models.DateField(_("forfaldsdato"))
    amount = KronerModelField(_("beløb (kr.)"))

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rater")
        ordering = ["plan_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="loans_instalment_seq"),
        ]
        indexes = [
            models.Index(fields=["due_date"], name="loans_instalment_due"),
            # What fell due on a plan by a day (the loan book's repayment
            # rate, once per loan): read from the index alone.
            models.Index(
                fields=["plan", "due_date"], include=["amount"], name="loans_instalment_plan_due"
            ),
        ]

    def __str__(self):
        return f"{self.seq}: {self.due_date} {self.amount}"


# --- subsistence support (§ 65, stk. 3) ----------------------------------------------


class SupportState(models.TextChoices):
    GRANTED = "granted", _("Bevilget")
    ENDED = "ended", _("Ophørt")


class SupportEndReason(models.TextChoices):
    SELF_SUPPORTING = "self_supporting", _("Borgeren er selvforsørgende")
    BUSINESS_STOPPED = "business_stopped", _("Virksomheden er stoppet")
    WITHDRAWN = "withdrawn", _("Borgeren er fraflyttet eller udtrådt")


class SupportGrant(MunicipalityOwned):
    """A grant of subsistence support from the business start: the scheme's
    months, plus extensions within the scheme's cap."""

    municipality_from = ("case",)

    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="support_grants",
    )
    state = models.CharField(
        _("status"), max_length=10, choices=SupportState.choices, default=SupportState.GRANTED
    )
    starts_on = models.DateField(_("fra (virksomhedens start)"))
    months = models.PositiveSmallIntegerField(_("bevilget (måneder)"))
    extended_months = models.PositiveSmallIntegerField(_("forlænget i alt (måneder)"), default=0)
    ends_on = models.DateField(_("til og med"))
    ended_on = models.DateField(_("ophørt den"), null=True, blank=True)
    end_reason = models.CharField(
        _("årsag til ophør"), max_length=20, choices=SupportEndReason.choices, blank=True
    )
    # The support watch's warning, once per end date (an extension moves the
    # end and the watch warns again before the new one).
    watched_end = models.DateField(_("varslet slutdato"), null=True, blank=True)
    self_evaluation_letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("anmodning om selvevaluering"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("tilskud til forsørgelse")
        verbose_name_plural = _("tilskud til forsørgelse")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state="granted"),
                name="loans_one_running_support_per_case",
            )
        ]
        indexes = [models.Index(fields=["state", "ends_on"], name="loans_support_ends")]

    def __str__(self):
        return f"{self.case_id}: {self.starts_on}–{self.ends_on}"


class SupportDecisionKind(models.TextChoices):
    GRANT = "grant", _("Bevilling")
    EXTENSION = "extension", _("Forlængelse")
    REFUSAL = "refusal", _("Afslag")
    END = "end", _("Ophør")


class SupportDecision(MunicipalityOwned):
    """Every decision about support — grant, extension, refusal, end —
    with its letter."""

    municipality_from = ("case", "grant")

    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="support_decisions",
    )
    grant = models.ForeignKey(
        SupportGrant,
        verbose_name=_("tilskud"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    kind = models.CharField(_("afgørelse"), max_length=10, choices=SupportDecisionKind.choices)
    months = models.PositiveSmallIntegerField(_("måneder"), null=True, blank=True)
    starts_on = models.DateField(_("fra"), null=True, blank=True)
    ends_on = models.DateField(_("til og med"), null=True, blank=True)
    end_reason = models.CharField(
        _("årsag til ophør"), max_length=20, choices=SupportEndReason.choices, blank=True
    )
    facts = models.TextField(_("oplysninger, vi har lagt vægt på"), blank=True)
    reasons = models.TextField(_("begrundelse"), blank=True)
    screening = models.ForeignKey(
        "screening.Screening",
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("afgørelsesbrev"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgjort af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("afgjort"), default=timezone.now)

    class Meta:
        verbose_name = _("afgørelse om tilskud")
        verbose_name_plural = _("afgørelser om tilskud")
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.case_id}: {self.kind}"


# --- staff tasks ---------------------------------------------------------------------


class TaskKind(models.TextChoices):
    SUPPORT_ENDING = "support_ending", _("Tilskuddet til forsørgelse udløber snart")
    FOLLOW_UP = "follow_up", _("Opfølgning")


class StaffTask(MunicipalityOwned):
    """A task for a person on the team, made by a daily job (support ending
    soon; the repayment work's missed payments). ``key`` makes a job's task
    unique: running the job again finds it and makes no second one."""

    municipality_from = ("case",)

    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.CASCADE,
        related_name="staff_tasks",
    )
    loan = models.ForeignKey(
        Loan,
        verbose_name=_("lån"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_tasks",
    )
    kind = models.CharField(_("slags"), max_length=30, choices=TaskKind.choices)
    key = models.CharField(_("nøgle"), max_length=100, unique=True)
    title = models.CharField(_("opgave"), max_length=300)
    due_on = models.DateField(_("frist"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("udført"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("udført af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("opgave")
        verbose_name_plural = _("opgaver")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["municipality", "done_at", "due_on"], name="loans_task_open_due")
        ]

    def __str__(self):
        return self.title


# --- repayment (payments, statements, reminders, reschedulings) -----------------------

from .repayment_models import (  # noqa: E402, F401
    LineStatus,
    LoanBalance,
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentReminder,
    PaymentReversal,
    Refund,
    RefundMethod,
    RefundReversal,
    RepaymentSettings,
    Reschedule,
    RescheduleKind,
    StatementImport,
    StatementLine,
)
