"""Repayment (SPEC §7, §9): payments and their reversals, the stored
allocation, bank statement imports and their matching queue, reminders,
reschedulings and the municipality's repayment settings.

Re-exported by ``loans.models``. A payment is never edited or deleted: a
wrong one is reversed with a reason. The allocation rows and the balance are
derived — the replay service (``loans.repayment``) rewrites them from the
plan, the payments and the reversals, so they can always be recomputed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import KronerModelField
from mikrolaan.models import Municipality, MunicipalityOwned


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bankoverførsel")
    FI_CARD = "fi_card", _("Indbetalingskort (FI +71)")
    CASH = "cash", _("Kontant")
    OTHER = "other", _("Andet")


class Payment(MunicipalityOwned):
    """Money received on a loan: value date, amount, method, reference, who
    registered it. Registration order (the id) breaks ties between payments
    with one value date."""

    municipality_from = ("loan",)

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("lån"), on_delete=models.PROTECT, related_name="payments"
    )
    value_date = models.DateField(_("valørdato"))
    amount = KronerModelField(_("beløb (kr.)"))
    method = models.CharField(_("betalingsmåde"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    # A payment after the loan was written off is a recovery (inddrivelse).
    is_recovery = models.BooleanField(_("efter afskrivning"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registreret"), default=timezone.now)

    class Meta:
        verbose_name = _("indbetaling")
        verbose_name_plural = _("indbetalinger")
        ordering = ["loan_id", "value_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loans_payment_positive"),
        ]
        indexes = [
            models.Index(fields=["loan", "value_date", "id"], name="loans_payment_order"),
            # What was recovered after write-offs (the loan book): a few rows,
            # where the loan's index alone read every payment of the book.
            models.Index(
                fields=["loan"], condition=Q(is_recovery=True), name="loans_payment_recovery"
            ),
        ]

    def __str__(self):
        return f"{self.value_date} {self.amount}"


class Reversal(MunicipalityOwned):
    """What a reversal records: why, by whom, when. The record it reverses
    stays as it was (a payment or a refund is never edited or deleted)."""

    reason = models.TextField(_("begrundelse"))
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tilbageført af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversed_at = models.DateTimeField(_("tilbageført"), default=timezone.now)

    class Meta:
        abstract = True


class PaymentReversal(Reversal):
    """A payment taken back, with the reason; the payment itself stays."""

    municipality_from = ("payment",)

    payment = models.OneToOneField(
        Payment, verbose_name=_("indbetaling"), on_delete=models.PROTECT, related_name="reversal"
    )

    class Meta:
        verbose_name = _("tilbageførsel")
        verbose_name_plural = _("tilbageførsler")

    def __str__(self):
        return f"{self.payment_id}: {self.reason[:40]}"


class PaymentAllocation(MunicipalityOwned):
    """What a payment paid on one instalment of a plan version — or, with no
    instalment, what it paid beyond the principal (held for refund). Derived:
    rewritten by the replay for the current plan; a former plan's rows stay
    as they were (history)."""

    municipality_from = ("payment",)

    payment = models.ForeignKey(
        Payment, verbose_name=_("indbetaling"), on_delete=models.CASCADE, related_name="allocations"
    )
    plan = models.ForeignKey(
        "loans.RepaymentPlan",
        verbose_name=_("afdragsplan"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    instalment = models.ForeignKey(
        "loans.Instalment",
        verbose_name=_("rate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    amount = KronerModelField(_("beløb (kr.)"))

    class Meta:
        verbose_name = _("fordeling af indbetaling")
        verbose_name_plural = _("fordelinger af indbetalinger")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loans_allocation_positive"),
            models.UniqueConstraint(
                fields=["payment", "plan", "instalment"], name="loans_allocation_once"
            ),
        ]
        indexes = [models.Index(fields=["plan", "instalment"], name="loans_allocation_plan")]

    def __str__(self):
        return f"{self.payment_id} → {self.instalment_id or '-'}: {self.amount}"


class LoanBalance(MunicipalityOwned):
    """The allocation's result for a loan's current plan, written by the
    replay in the same transaction as every change to payments or plans
    (never by hand): what the loan book and the reminder job read, so that
    neither has to re-add a million instalments. Arrears — days past due,
    buckets — are computed from it with today's date, never stored."""

    municipality_from = ("loan",)

    loan = models.OneToOneField(
        "loans.Loan", verbose_name=_("lån"), on_delete=models.CASCADE, related_name="balance"
    )
    plan = models.ForeignKey(
        "loans.RepaymentPlan", verbose_name=_("afdragsplan"), on_delete=models.CASCADE
    )
    principal = KronerModelField(_("lånebeløb (kr.)"))
    paid = KronerModelField(_("indbetalt (kr.)"), default=0)
    allocated = KronerModelField(_("afdraget (kr.)"), default=0)
    overpayment = KronerModelField(_("overskydende (kr.)"), default=0)
    # What was paid back of the overpayment (refunds not reversed). Held =
    # overpayment − refunded; negative when a later reversal took back money
    # that had been refunded: the borrower then owes it.
    refunded = KronerModelField(_("tilbagebetalt af det overskydende (kr.)"), default=0)
    # The oldest instalment not paid in full (None when all are paid).
    first_unpaid_seq = models.PositiveSmallIntegerField(null=True, blank=True)
    first_unpaid_due = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saldo")
        verbose_name_plural = _("saldi")
        indexes = [
            models.Index(fields=["municipality", "first_unpaid_due"], name="loans_balance_due")
        ]

    @property
    def outstanding(self):
        return self.principal - self.allocated

    @property
    def held_overpayment(self):
        """Paid beyond the principal and not yet refunded (negative: refunded
        more than is now overpaid, which the borrower owes back)."""
        return self.overpayment - self.refunded

    def __str__(self):
        return f"{self.loan_id}: {self.allocated}/{self.principal}"


class RefundMethod(models.TextChoices):
    BORROWER_ACCOUNT = "borrower_account", _("Overførsel til låntagerens konto")
    NEMKONTO = "nemkonto", _("Overførsel til NemKonto")
    CASH = "cash", _("Kontant")
    OTHER = "other", _("Andet")


# How a refund was paid, as the borrower is told it (the letter, the
# statement of account); the choices' labels are the team's.
REFUND_METHOD_FOR_BORROWER = {
    RefundMethod.BORROWER_ACCOUNT: _("Overført til din bankkonto"),
    RefundMethod.NEMKONTO: _("Overført til din NemKonto"),
    RefundMethod.CASH: _("Udbetalt kontant"),
    RefundMethod.OTHER: _("På anden måde"),
}


class Refund(MunicipalityOwned):
    """An overpayment paid back to the borrower: amount, the day it was
    paid, how and to which account, the bank's reference, who registered it.
    Never edited or deleted: a wrong one is reversed with a reason. A refund
    does not touch the allocation of payments; it only lowers the held
    overpayment (``LoanBalance.refunded``)."""

    municipality_from = ("loan",)

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("lån"), on_delete=models.PROTECT, related_name="refunds"
    )
    amount = KronerModelField(_("beløb (kr.)"))
    paid_on = models.DateField(_("betalt den"))
    method = models.CharField(_("betalingsmåde"), max_length=20, choices=RefundMethod.choices)
    account = models.CharField(_("konto"), max_length=40, blank=True)
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    note = models.TextField(_("bemærkning"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registreret"), default=timezone.now)
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("brev"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tilbagebetaling af overskydende beløb")
        verbose_name_plural = _("tilbagebetalinger af overskydende beløb")
        ordering = ["loan_id", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loans_refund_positive"),
        ]

    @property
    def method_for_borrower(self) -> str:
        """How it was paid, said to the borrower ("Overført til din bankkonto")."""
        return str(REFUND_METHOD_FOR_BORROWER[self.method])

    def __str__(self):
        return f"{self.paid_on} {self.amount}"


class RefundReversal(Reversal):
    """A refund taken back (it never reached the borrower, or was registered
    by mistake), with the reason; the refund itself stays."""

    municipality_from = ("refund",)

    refund = models.OneToOneField(
        Refund, verbose_name=_("tilbagebetaling"), on_delete=models.PROTECT, related_name="reversal"
    )

    class Meta:
        verbose_name = _("tilbageført tilbagebetaling")
        verbose_name_plural = _("tilbageførte tilbagebetalinger")

    def __str__(self):
        return f"{self.refund_id}: {self.reason[:40]}"


# --- bank statements ---------------------------------------------------------------


class StatementImport(MunicipalityOwned):
    """One bank statement file, imported whole or not at all."""

    filename = models.CharField(_("fil"), max_length=255)
    format = models.CharField(_("format"), max_length=10)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    account = models.CharField(_("konto"), max_length=200, blank=True)
    lines_read = models.PositiveIntegerField(_("indbetalinger i filen"), default=0)
    registered = models.PositiveIntegerField(_("registreret"), default=0)
    queued = models.PositiveIntegerField(_("til manuel matchning"), default=0)
    duplicates = models.PositiveIntegerField(_("allerede indlæst"), default=0)
    debits_skipped = models.PositiveIntegerField(_("udbetalinger sprunget over"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("indlæst af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("indlæst"), default=timezone.now)

    class Meta:
        verbose_name = _("indlæst kontoudtog")
        verbose_name_plural = _("indlæste kontoudtog")
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return self.filename


class LineStatus(models.TextChoices):
    REGISTERED = "registered", _("Registreret")
    QUEUED = "queued", _("Til matchning")
    ASSIGNED = "assigned", _("Matchet manuelt")
    DISMISSED = "dismissed", _("Afvist")


class StatementLine(MunicipalityOwned):
    """One incoming transaction of a statement. A transaction is known by
    its booking day and amount, told apart from others of that day and
    amount by the +71 payment id, the bank's reference and the text
    (``loans.statement_import``); ``occurrence`` numbers the lines of one
    municipality, day and amount, so the same transaction in a later file —
    in either format — is not a line again."""

    municipality_from = ("statement",)

    statement = models.ForeignKey(
        StatementImport,
        verbose_name=_("kontoudtog"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    line_no = models.PositiveIntegerField(_("linje"))
    booking_date = models.DateField(_("bogført"))
    value_date = models.DateField(_("valørdato"))
    amount = KronerModelField(_("beløb (kr.)"))
    text = models.CharField(_("tekst"), max_length=500, blank=True)
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    counterparty = models.CharField(_("afsender"), max_length=200, blank=True)
    bank_reference = models.CharField(_("bankens reference"), max_length=200, blank=True)
    fi_payment_id = models.CharField(_("betalings-id (+71)"), max_length=15, blank=True)
    occurrence = models.PositiveIntegerField(_("nummer samme dag og beløb"))
    status = models.CharField(_("status"), max_length=12, choices=LineStatus.choices)
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("indbetaling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_line",
    )
    dismissed_reason = models.TextField(_("begrundelse for afvisning"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandlet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("behandlet"), null=True, blank=True)

    class Meta:
        verbose_name = _("linje i kontoudtog")
        verbose_name_plural = _("linjer i kontoudtog")
        ordering = ["booking_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "booking_date", "amount", "occurrence"],
                name="loans_statement_line_occurrence",
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "booking_date"], name="loans_line_queue")
        ]

    def __str__(self):
        return f"{self.booking_date} {self.amount} {self.text[:30]}"


# --- reminders, reschedulings, settings ----------------------------------------------


class PaymentReminder(MunicipalityOwned):
    """A reminder about one instalment at one level (1: 10 days, 2: 30 days
    by default) — at most once however often the job runs. Never a fee."""

    municipality_from = ("loan",)

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("lån"), on_delete=models.CASCADE, related_name="reminders"
    )
    instalment = models.ForeignKey(
        "loans.Instalment",
        verbose_name=_("rate"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    level = models.PositiveSmallIntegerField(_("rykker nr."))
    sent_on = models.DateField(_("sendt"))
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("brev"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("påmindelse om afdrag")
        verbose_name_plural = _("påmindelser om afdrag")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["instalment", "level"], name="loans_reminder_once")
        ]

    def __str__(self):
        return f"{self.instalment_id} #{self.level}"


class RescheduleKind(models.TextChoices):
    PAUSE = "pause", _("Betalingspause")
    AMOUNT = "amount", _("Nyt afdragsbeløb")


class Reschedule(MunicipalityOwned):
    """A team lead's decision to reschedule: a pause of N months or a new
    instalment amount. It made ``new_plan``; ``old_plan`` stays as history."""

    municipality_from = ("loan",)

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("lån"), on_delete=models.PROTECT, related_name="reschedules"
    )
    kind = models.CharField(_("ændring"), max_length=10, choices=RescheduleKind.choices)
    pause_months = models.PositiveSmallIntegerField(_("pause (måneder)"), default=0)
    new_amount = KronerModelField(_("nyt afdrag (kr.)"), null=True, blank=True)
    keep_end = models.BooleanField(_("samme slutdato"), default=False)
    # No reminders while the pause lasts (to the day before the first new due date).
    pause_until = models.DateField(_("pause til og med"), null=True, blank=True)
    old_plan = models.ForeignKey(
        "loans.RepaymentPlan",
        verbose_name=_("tidligere plan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_plan = models.OneToOneField(
        "loans.RepaymentPlan",
        verbose_name=_("ny plan"),
        on_delete=models.PROTECT,
        related_name="reschedule",
    )
    outstanding = KronerModelField(_("restgæld ved ændringen (kr.)"))
    reasons = models.TextField(_("begrundelse"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgjort af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("afgjort den"))
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("afgørelsesbrev"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ændring af afdragsplan")
        verbose_name_plural = _("ændringer af afdragsplaner")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.loan_id}: {self.kind}"


class RepaymentSettings(models.Model):
    """A municipality's repayment settings: when reminders go out, whom a
    borrower calls about a pause, and its bank's CSV columns."""

    municipality = models.OneToOneField(
        Municipality, verbose_name=_("kommune"), on_delete=models.CASCADE, related_name="+"
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("første påmindelse efter (dage)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("anden påmindelse og opgave efter (dage)"),
        default=30,
        validators=[MinValueValidator(2), MaxValueValidator(365)],
    )
    pause_contact = models.TextField(
        _("hvem låntageren kan ringe til om en betalingspause"),
        blank=True,
        help_text=_("Står i påmindelsen. Tom: sagens kontaktperson og kommunens telefon."),
    )
    csv_columns = models.JSONField(
        _("kolonner i bankens CSV-fil"),
        default=dict,
        blank=True,
        help_text=_("Kolonnenavne for dato, beløb, tekst, valørdato, reference og afsender."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indstillinger for tilbagebetaling")
        verbose_name_plural = _("indstillinger for tilbagebetaling")

    def __str__(self):
        return str(self.municipality_id)

    @classmethod
    def for_municipality(cls, municipality_id: int) -> RepaymentSettings:
        found = cls.objects.filter(municipality_id=municipality_id).first()
        return found or cls(municipality_id=municipality_id)
