"""The four screenings (SPEC §4): a record per screening with its scores,
basis, staff, outcome and reasons; the team's criteria; the course modules
screening 2 grants; and the hearing (partshøring, forvaltningsloven § 19)
before an adverse decision.

A decided record is immutable: ``save`` refuses to change it, and a
correction is a new record that points at the one it replaces."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import KronerModelField
from mikrolaan.models import MunicipalityOwned

from .criteria import HANDBOOK_MODULES


class ScreeningLocked(Exception):
    """A decided screening (or its scores) cannot be changed."""


class Number(models.IntegerChoices):
    FIRST = 1, _("1. screening")
    SECOND = 2, _("2. screening")
    THIRD = 3, _("3. screening")
    FOURTH = 4, _("4. screening / selvevaluering")


STAGE_OF = {1: "screening_1", 2: "screening_2", 3: "screening_3", 4: "screening_4"}
NUMBER_OF_STAGE = {stage: number for number, stage in STAGE_OF.items()}


class Outcome(models.TextChoices):
    REFERRED = "referred", _("Visiteret til mikrolånsteamet")
    NOT_REFERRED = "not_referred", _("Ikke visiteret")
    COURSES_GRANTED = "courses_granted", _("Kursusmoduler bevilget")
    STOP = "stop", _("Forløbet stopper")
    RECOMMEND = "recommend", _("Indstilling om lån og tilskud til forsørgelse")
    EXTEND = "extend", _("Tilskuddet forlænges")
    SELF_SUPPORTING = "self_supporting", _("Støtten ophører: borgeren er selvforsørgende")
    BUSINESS_STOPPED = "business_stopped", _("Støtten ophører: virksomheden er stoppet")
    SELF_EVALUATION_ONLY = (
        "self_evaluation_only",
        _("Selvevaluering uden afgørelse om støtte: forløbet fortsætter (førtidspension)"),
    )
    SELF_EVALUATION_CLOSED = (
        "self_evaluation_closed",
        _("Selvevaluering uden afgørelse om støtte: forløbet afsluttes (førtidspension)"),
    )


@dataclass(frozen=True)
class OutcomeSpec:
    outcome: str
    transition: str  # the case's transition (applicants.models.Case)
    adverse: bool  # needs facts, may need a hearing
    letter_kind: str | None  # the decision letter; None: no letter to the citizen


OUTCOMES: dict[int, list[OutcomeSpec]] = {
    1: [
        OutcomeSpec(Outcome.REFERRED, "admit", False, "screening_decision"),
        OutcomeSpec(Outcome.NOT_REFERRED, "decline", True, "screening_decision"),
    ],
    2: [
        OutcomeSpec(Outcome.COURSES_GRANTED, "grant_courses", False, "course_grant"),
        OutcomeSpec(Outcome.STOP, "decline", True, "screening_decision"),
    ],
    3: [
        # An indstilling, not yet a decision: the internal "vurdering og
        # indstilling" goes to the team lead; the § 65 support and the loan
        # are decided (and their letters sent) in establishment.
        OutcomeSpec(Outcome.RECOMMEND, "recommend_loan", False, None),
        OutcomeSpec(Outcome.STOP, "decline", True, "screening_decision"),
    ],
    4: [
        OutcomeSpec(Outcome.EXTEND, "extend_support", False, "extension_decision"),
        OutcomeSpec(Outcome.SELF_SUPPORTING, "end_support", True, "support_end"),
        OutcomeSpec(Outcome.BUSINESS_STOPPED, "decline", True, "support_end"),
        # Førtidspensionister keep their pension: the self-evaluation is
        # recorded without a support decision, and the team either goes on
        # with the citizen or closes the case (the business runs on).
        OutcomeSpec(Outcome.SELF_EVALUATION_ONLY, "self_evaluation_done", False, None),
        OutcomeSpec(Outcome.SELF_EVALUATION_CLOSED, "end_support", False, None),
    ],
}


def outcome_spec(number: int, outcome: str) -> OutcomeSpec | None:
    return next((s for s in OUTCOMES.get(int(number), []) if s.outcome == outcome), None)


class Criterion(MunicipalityOwned):
    """One criterion of a screening, as the team scores it: data, seeded
    from the handbook and edited by the team lead."""

    number = models.PositiveSmallIntegerField(_("screening"), choices=Number.choices)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("kriterium"), max_length=200)
    guidance = models.TextField(_("vejledning fra håndbogen"), blank=True)
    active = models.BooleanField(_("i brug"), default=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        ordering = ["number", "position", "pk"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    DECIDED = "decided", _("Afgjort")


class Screening(MunicipalityOwned):
    """One screening of a case: basis, scores, staff, outcome and reasons."""

    municipality_from = ("case",)

    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    number = models.PositiveSmallIntegerField(_("screening"), choices=Number.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    held_on = models.DateField(_("dato for screeningen"), default=timezone.localdate)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medarbejdere, der deltog"),
        related_name="+",
        blank=True,
    )
    outcome = models.CharField(_("udfald"), max_length=30, choices=Outcome.choices, blank=True)
    facts = models.TextField(_("oplysninger, vi har lagt vægt på"), blank=True)
    reasons = models.TextField(_("begrundelse"), blank=True)
    rests_on_unknown_information = models.BooleanField(
        _("bygger på oplysninger, borgeren ikke kan antages at kende"), default=False
    )
    loan_amount = KronerModelField(_("indstillet lån (kr.)"), null=True, blank=True)
    recommend_support = models.BooleanField(
        _("indstilling om tilskud til forsørgelse"), default=False
    )
    extension_months = models.PositiveSmallIntegerField(
        _("forlængelse (måneder)"), null=True, blank=True
    )
    support_ends_on = models.DateField(_("støtten ophører den"), null=True, blank=True)
    basis_meetings = models.ManyToManyField(
        "applicants.Meeting", verbose_name=_("møder"), related_name="+", blank=True
    )
    # Other basis (the portal's forms, course attendance) as it stood when
    # chosen: [{"source", "id", "label", "date"}] (see screening.basis).
    basis_items = models.JSONField(_("andet grundlag"), default=list, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("erstatter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("afgørelsesbrev"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgjort af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("afgjort"), null=True, blank=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screeninger")
        ordering = ["number", "created_at", "pk"]
        indexes = [models.Index(fields=["case", "number"], name="screening_case_number")]

    def __str__(self):
        return f"{self.get_number_display()} ({self.case_id})"

    @property
    def is_decided(self) -> bool:
        return self.status == Status.DECIDED

    @property
    def spec(self) -> OutcomeSpec | None:
        return outcome_spec(self.number, self.outcome)

    @property
    def is_adverse(self) -> bool:
        return bool(self.spec and self.spec.adverse)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True)
            if stored.first() == Status.DECIDED:
                raise ScreeningLocked("A decided screening cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_decided:
            raise ScreeningLocked("A decided screening cannot be deleted")
        return super().delete(*args, **kwargs)


class Score(MunicipalityOwned):
    """A score 1–5 and a note for one criterion, with the criterion's text
    as it was when scored."""

    municipality_from = ("screening",)

    screening = models.ForeignKey(
        Screening, verbose_name=_("screening"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("kriterium"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("kriterium"), max_length=200)
    guidance = models.TextField(_("vejledning"), blank=True)
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scorer")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.title}: {self.score}"

    def save(self, *args, **kwargs):
        status = Screening._base_manager.filter(pk=self.screening_id).values_list(
            "status", flat=True
        )
        if status.first() == Status.DECIDED:
            raise ScreeningLocked("The scores of a decided screening cannot be changed")
        super().save(*args, **kwargs)


class CourseGrant(MunicipalityOwned):
    """A course module granted at screening 2 (the courses app reads these)."""

    municipality_from = ("screening",)

    screening = models.ForeignKey(
        Screening,
        verbose_name=_("screening"),
        on_delete=models.CASCADE,
        related_name="course_grants",
    )
    module = models.CharField(_("modul"), max_length=40, choices=HANDBOOK_MODULES)
    starts_on = models.DateField(_("starter"), null=True, blank=True)
    ends_on = models.DateField(_("slutter"), null=True, blank=True)

    class Meta:
        verbose_name = _("bevilget kursusmodul")
        verbose_name_plural = _("bevilgede kursusmoduler")
        ordering = ["pk"]

    def __str__(self):
        return str(self.get_module_display())


class HearingPurpose(models.TextChoices):
    SCREENING = "screening", _("Afgørelse efter en screening")
    END_CASE = "end_case", _("Afslutning af forløbet (borgeren er holdt op med at komme)")


class Channel(models.TextChoices):
    PORTAL = "portal", _("I portalen")
    PHONE = "phone", _("I telefonen")
    LETTER = "letter", _("Pr. brev eller e-mail")
    MEETING = "meeting", _("På et møde")


class Exception19(models.TextChoices):
    """Forvaltningsloven § 19, stk. 2: when no hearing is needed."""

    NR1 = (
        "nr1",
        _(
            "Nr. 1: Det er efter oplysningernes karakter og sagens omstændigheder ubetænkeligt at "
            "træffe afgørelse på det foreliggende grundlag"
        ),
    )
    NR2 = "nr2", _("Nr. 2: Udsættelse vil medføre, at en lovbestemt frist overskrides")
    NR4 = "nr4", _("Nr. 4: Borgeren har ikke ret til aktindsigt i oplysningerne")
    OTHER = "other", _("Et andet nummer i § 19, stk. 2 (skriv hvilket og hvorfor)")


class Hearing(MunicipalityOwned):
    """A hearing before an adverse decision (partshøring), or the record of
    the § 19, stk. 2 exception that made it unnecessary."""

    municipality_from = ("case", "screening")

    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    screening = models.ForeignKey(
        Screening,
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    purpose = models.CharField(_("før afgørelse om"), max_length=20, choices=HearingPurpose.choices)
    information = models.TextField(_("oplysningerne, borgeren høres om"), blank=True)
    deadline = models.DateField(_("frist for bemærkninger"), null=True, blank=True)
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("høringsbrev"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exception = models.CharField(
        _("undtagelse efter § 19, stk. 2"), max_length=10, choices=Exception19.choices, blank=True
    )
    exception_reason = models.TextField(_("begrundelse for undtagelsen"), blank=True)
    comments = models.TextField(_("borgerens bemærkninger"), blank=True)
    comments_on = models.DateField(_("bemærkninger modtaget"), null=True, blank=True)
    comments_channel = models.CharField(
        _("modtaget"), max_length=10, choices=Channel.choices, blank=True
    )
    comments_registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("partshøring")
        verbose_name_plural = _("partshøringer")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"], name="hearing_case_newest")]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.case_id})"

    @property
    def is_exception(self) -> bool:
        return bool(self.exception)

    @property
    def answered(self) -> bool:
        return self.comments_on is not None

    def deadline_passed(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.deadline is not None and self.deadline < today

    def is_pending(self, today=None) -> bool:
        """Sent, not answered, and the deadline has not passed."""
        return not self.is_exception and not self.answered and not self.deadline_passed(today)

    def is_resolved(self, today=None) -> bool:
        return self.is_exception or self.answered or self.deadline_passed(today)
