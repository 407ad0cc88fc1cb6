"""Citizens, programmes and cases (forløb) with their stage machine, the
phone interview and meetings.

The stage machine follows SPEC §3. Transition bodies change fields only;
``applicants.services.transition_case`` runs every transition (permission,
conditions, the exit-condition hooks of ``applicants.conditions``, save in a
transaction, history row, letters). Names Letters rely on: Citizen.user,
first_name, last_name, full_name, cpr, street, postcode, city, phone, email;
Case.case_number, citizen, responsible, created_at.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from mikrolaan.access_log import RevealsCitizen
from mikrolaan.models import MunicipalityOwned

from . import conditions as cond
from .cpr import mask_cpr, validate_cpr


class Stage(models.TextChoices):
    INQUIRY = "inquiry", _("Henvendelse")
    PHONE_INTERVIEW = "phone_interview", _("Telefonsamtale")
    FIRST_MEETING = "first_meeting", _("1. personlige møde")
    SECOND_MEETING = "second_meeting", _("2. personlige møde")
    SCREENING_1 = "screening_1", _("1. screening")
    BUSINESS_DEVELOPMENT = (
        "business_development",
        _("Forretningsudvikling og kompetenceafklaring"),
    )
    SCREENING_2 = "screening_2", _("2. screening")
    COURSES = "courses", _("Kompetenceforløb")
    SCREENING_3 = "screening_3", _("3. screening")
    ESTABLISHMENT = "establishment", _("Forsørgelse og lånetablering")
    RUNNING = "running", _("Virksomhed i drift")
    SCREENING_4 = "screening_4", _("4. screening / selvevaluering")
    SELF_SUPPORTING = "self_supporting", _("Selvforsørgende")
    DECLINED = "declined", _("Afsluttet (ikke visiteret / stoppet)")
    WITHDRAWN = "withdrawn", _("Udtrådt")
    PAUSED = "paused", _("På pause")


CLOSED_STAGES = (Stage.SELF_SUPPORTING, Stage.DECLINED, Stage.WITHDRAWN)
# The open stages in the handbook's order, from the first inquiry to the
# 4th screening (the closed stages and the pause are not steps on the way).
PIPELINE = (
    Stage.INQUIRY,
    Stage.PHONE_INTERVIEW,
    Stage.FIRST_MEETING,
    Stage.SECOND_MEETING,
    Stage.SCREENING_1,
    Stage.BUSINESS_DEVELOPMENT,
    Stage.SCREENING_2,
    Stage.COURSES,
    Stage.SCREENING_3,
    Stage.ESTABLISHMENT,
    Stage.RUNNING,
    Stage.SCREENING_4,
)
OPEN_STAGES = tuple(s for s in Stage if s not in CLOSED_STAGES)
# The stages a case can be paused from and resumed to.
ACTIVE_STAGES = tuple(s for s in OPEN_STAGES if s != Stage.PAUSED)
SCREENING_STAGES = (Stage.SCREENING_1, Stage.SCREENING_2, Stage.SCREENING_3, Stage.SCREENING_4)
DECLINE_FROM = (Stage.PHONE_INTERVIEW, *SCREENING_STAGES)

# The handbook's phases (SPEC §3): planned weeks counted from the programme's
# week 1. None as the last week means "open-ended".
PHASES = {
    "recruitment": (
        _("Rekruttering, samtaler og 1. screening"),
        (
            Stage.INQUIRY,
            Stage.PHONE_INTERVIEW,
            Stage.FIRST_MEETING,
            Stage.SECOND_MEETING,
            Stage.SCREENING_1,
        ),
    ),
    "business_development": (
        _("Forretningsudvikling og 2. screening"),
        (Stage.BUSINESS_DEVELOPMENT, Stage.SCREENING_2),
    ),
    "courses": (_("Kompetenceforløb og 3. screening"), (Stage.COURSES, Stage.SCREENING_3)),
    "establishment": (_("Etablering og drift"), (Stage.ESTABLISHMENT, Stage.RUNNING)),
    "screening_4": (_("4. screening / selvevaluering"), (Stage.SCREENING_4,)),
}
STAGE_PHASE = {stage: key for key, (_label, stages) in PHASES.items() for stage in stages}


def default_week_plan() -> dict:
    return {
        "recruitment": [8, 20],
        "business_development": [14, 24],
        "courses": [18, 32],
        "establishment": [32, None],
        "screening_4": [60, 62],
    }


class Programme(MunicipalityOwned):
    """A round of the offer (forløbsrunde): its week 1 and the planned weeks of
    each phase. Cases belong to one; cohorts (courses) will hang on it."""

    name = models.CharField(_("navn"), max_length=200)
    start_date = models.DateField(_("startdato (uge 1)"))
    week_plan = models.JSONField(
        _("ugeplan"),
        default=default_week_plan,
        help_text=_("Planlagte uger pr. fase, talt fra uge 1: {fase: [fra, til]}."),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programmer")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="applicants_programme_name_per_municipality",
                violation_error_message=_("Kommunen har allerede et program med det navn."),
            )
        ]

    def __str__(self):
        return str(self.name)

    def clean(self):
        plan = self.week_plan
        if not isinstance(plan, dict) or set(plan) != set(PHASES):
            raise ValidationError(
                {
                    "week_plan": _("Ugeplanen skal have netop disse faser: %(p)s")
                    % {"p": ", ".join(PHASES)}
                }
            )
        for key, weeks in plan.items():
            ok = (
                isinstance(weeks, list)
                and len(weeks) == 2
                and isinstance(weeks[0], int)
                and weeks[0] >= 1
                and (weeks[1] is None or (isinstance(weeks[1], int) and weeks[1] >= weeks[0]))
            )
            if not ok:
                raise ValidationError(
                    {
                        "week_plan": _(
                            "Fasen %(k)s skal have en fra-uge og en til-uge "
                            "(til-ugen kan være tom)."
                        )
                        % {"k": key}
                    }
                )

    def week_of(self, day: datetime.date) -> int:
        """The programme week a day falls in: its start date is in week 1."""
        return (day - self.start_date).days // 7 + 1

    def planned_weeks(self, stage: str) -> tuple[int, int | None] | None:
        phase = STAGE_PHASE.get(stage)
        if phase is None:
            return None
        first, last = self.week_plan.get(phase, default_week_plan()[phase])
        return first, last


class BenefitType(models.TextChoices):
    KONTANTHJAELP = "kontanthjaelp", _("Kontanthjælp")
    SYGEDAGPENGE = "sygedagpenge", _("Sygedagpenge")
    FOERTIDSPENSION = "foertidspension", _("Førtidspension")
    OTHER = "other", _("Andet")


class Source(models.TextChoices):
    DIRECT = "direct", _("Direkte henvendelse")
    REFERRAL = "referral", _("Henvist af sagsbehandler")


class Citizen(RevealsCitizen, MunicipalityOwned):
    """A citizen (borger / iværksætter). Nothing about health, by design.

    A citizen belongs to one municipality; one who moves gets a citizen
    record (and a case) in the new municipality, so the same CPR may stand
    once in each."""

    access_fields = frozenset(
        {"first_name", "last_name", "cpr", "street", "postcode", "city", "phone", "email"}
    )

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
    cpr = models.CharField(_("CPR-nummer"), max_length=10, validators=[validate_cpr])
    street = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cpr"],
                name="applicants_citizen_cpr_per_municipality",
                violation_error_message=_("Kommunen har allerede en borger med det CPR-nummer."),
            )
        ]
        indexes = [
            # The case list's search by the first six digits (a LIKE 'ddmmyy%'
            # prefix): the unique index above cannot serve a prefix under a
            # non-C collation, so without this PostgreSQL read every citizen.
            models.Index(
                fields=["cpr"], name="citizen_cpr_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.full_name

    def audit_label(self) -> str:
        """The audit trail names a citizen by id only: it outlives their data."""
        return f"{self._meta.verbose_name} {self.pk}"

    def access_label(self) -> str:
        loaded = self.__dict__
        return f"{loaded.get('first_name', '')} {loaded.get('last_name', '')}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_cpr(self) -> str:
        return mask_cpr(self.cpr)


class CaseNumberSequence(models.Model):
    """The last journalnummer issued per municipality and year; the row is
    locked while a number is taken."""

    municipality = models.ForeignKey(
        "mikrolaan.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tæller for journalnumre")
        verbose_name_plural = _("tællere for journalnumre")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="applicants_case_number_sequence"
            )
        ]

    def __str__(self):
        return f"{self.municipality_id} {self.year}: {self.last}"


# Permissions: (instance, user) callables.
def staff_only(case, user) -> bool:
    from mikrolaan.roles import is_staff_member

    return is_staff_member(user)


def staff_or_own_citizen(case, user) -> bool:
    from mikrolaan.roles import Role, has_role, is_staff_member

    if is_staff_member(user):
        return True
    return (
        has_role(user, Role.CITIZEN)
        and case.citizen.user_id is not None
        and case.citizen.user_id == getattr(user, "pk", None)
    )


def _stage_before_pause(case) -> str:
    return case.stage_before_pause


class Case(ConcurrentTransitionMixin, MunicipalityOwned):
    """One citizen's course of events (forløb), identified by its journalnummer
    (``751-2026-00042``: municipality code, year, number)."""

    municipality_from = ("citizen", "programme")

    case_number = models.CharField(_("journalnummer"), max_length=30, unique=True)
    citizen = models.ForeignKey(
        Citizen, verbose_name=_("borger"), on_delete=models.PROTECT, related_name="cases"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="cases"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_cases",
    )
    referring_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("henvisende sagsbehandler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
    )
    source = models.CharField(_("kilde"), max_length=20, choices=Source.choices)
    benefit_type = models.CharField(
        _("forsørgelsesgrundlag"), max_length=20, choices=BenefitType.choices
    )
    business_idea = models.TextField(_("forretningsidé"), blank=True)
    industry = models.CharField(_("branche"), max_length=200, blank=True)
    referral_reason = models.TextField(_("hvorfor denne borger"), blank=True)
    stage = FSMField(_("fase"), default=Stage.INQUIRY, choices=Stage.choices, protected=True)
    stage_before_pause = models.CharField(
        _("fase før pause"), max_length=50, choices=Stage.choices, blank=True
    )
    stage_changed_at = models.DateTimeField(_("fase ændret"), default=timezone.now)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("forløb")
        verbose_name_plural = pgettext_lazy("flertal", "forløb")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A citizen has at most one open case; a new inquiry is refused.
            models.UniqueConstraint(
                fields=["citizen"],
                condition=~Q(stage__in=[str(s) for s in CLOSED_STAGES]),
                name="applicants_one_open_case_per_citizen",
            )
        ]
        indexes = [
            models.Index(
                fields=["municipality", "-created_at", "-id"], name="applicants_case_newest"
            ),
            models.Index(
                fields=["municipality", "stage", "-created_at", "-id"],
                name="applicants_case_stage_newest",
            ),
        ]

    def __str__(self):
        return f"{self.case_number} {self.citizen}"

    def audit_label(self) -> str:
        """The audit trail names a case by its number only (no citizen's name)."""
        return self.case_number

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES

    # --- forward along SPEC §3 -------------------------------------------------
    @transition(
        stage,
        source=Stage.INQUIRY,
        target=Stage.PHONE_INTERVIEW,
        permission=staff_only,
        custom={"label": _("Start telefonsamtale")},
    )
    def start_phone_interview(self):
        pass

    @transition(
        stage,
        source=Stage.PHONE_INTERVIEW,
        target=Stage.FIRST_MEETING,
        conditions=[cond.phone_interview_recorded, cond.phone_interview_in_target_group],
        permission=staff_only,
        custom={"label": _("Invitér til 1. personlige møde")},
    )
    def invite_first_meeting(self):
        pass

    @transition(
        stage,
        source=Stage.FIRST_MEETING,
        target=Stage.SECOND_MEETING,
        conditions=[cond.first_meeting_held_with_two_staff],
        permission=staff_only,
        custom={"label": _("Gå videre til 2. personlige møde")},
    )
    def to_second_meeting(self):
        pass

    @transition(
        stage,
        source=Stage.SECOND_MEETING,
        target=Stage.SCREENING_1,
        conditions=[cond.second_meeting_held],
        permission=staff_only,
        custom={"label": _("Gå videre til 1. screening")},
    )
    def to_screening_1(self):
        pass

    @transition(
        stage,
        source=Stage.SCREENING_1,
        target=Stage.BUSINESS_DEVELOPMENT,
        permission=staff_only,
        custom={"label": _("Visitér til mikrolånsteamet")},
    )
    def admit(self):
        pass

    @transition(
        stage,
        source=Stage.BUSINESS_DEVELOPMENT,
        target=Stage.SCREENING_2,
        permission=staff_only,
        custom={"label": _("Gå videre til 2. screening")},
    )
    def to_screening_2(self):
        pass

    @transition(
        stage,
        source=Stage.SCREENING_2,
        target=Stage.COURSES,
        permission=staff_only,
        custom={"label": _("Bevilg kursusmoduler")},
    )
    def grant_courses(self):
        pass

    @transition(
        stage,
        source=Stage.COURSES,
        target=Stage.SCREENING_3,
        permission=staff_only,
        custom={"label": _("Gå videre til 3. screening")},
    )
    def to_screening_3(self):
        pass

    @transition(
        stage,
        source=Stage.SCREENING_3,
        target=Stage.ESTABLISHMENT,
        permission=staff_only,
        custom={"label": _("Indstil til lån og forsørgelse")},
    )
    def recommend_loan(self):
        pass

    @transition(
        stage,
        source=Stage.ESTABLISHMENT,
        target=Stage.RUNNING,
        permission=staff_only,
        custom={"label": _("Virksomheden er startet")},
    )
    def start_business(self):
        pass

    @transition(
        stage,
        source=Stage.RUNNING,
        target=Stage.SCREENING_4,
        permission=staff_only,
        custom={"label": _("Gå videre til 4. screening")},
    )
    def to_screening_4(self):
        pass

    @transition(
        stage,
        source=Stage.SCREENING_4,
        target=Stage.RUNNING,
        permission=staff_only,
        custom={"label": _("Forlæng støtten")},
    )
    def extend_support(self):
        pass

    @transition(
        stage,
        source=Stage.SCREENING_4,
        target=Stage.SELF_SUPPORTING,
        permission=staff_only,
        custom={"label": _("Afslut støtten: selvforsørgende"), "confirm": True},
    )
    def end_support(self):
        pass

    @transition(
        stage,
        source=Stage.SCREENING_4,
        target=Stage.RUNNING,
        permission=staff_only,
        custom={"label": _("Selvevalueringen er gennemført (ingen afgørelse om støtte)")},
    )
    def self_evaluation_done(self):
        # Førtidspensionister keep their pension: the self-evaluation is
        # recorded, but no support decision follows (SPEC §4).
        pass

    # --- leaving the pipeline ---------------------------------------------------
    @transition(
        stage,
        source=DECLINE_FROM,
        target=Stage.DECLINED,
        conditions=[cond.decline_interview_recorded],
        permission=staff_only,
        custom={
            "label": _("Afslut forløbet (afslag)"),
            "needs_reason": True,
            "confirm": True,
            "danger": True,
        },
    )
    def decline(self):
        pass

    @transition(
        stage,
        source=OPEN_STAGES,
        target=Stage.DECLINED,
        permission=staff_only,
        custom={
            "label": _("Afslut forløbet (borgeren er holdt op med at komme)"),
            "needs_reason": True,
            "confirm": True,
            "danger": True,
        },
    )
    def end_case(self):
        # The municipality's adverse decision, not a withdrawal: it needs the
        # hearing (an exit condition the screening app registers) and sends a
        # decision letter with complaint guidance.
        self.stage_before_pause = ""

    @transition(
        stage,
        source=OPEN_STAGES,
        target=Stage.WITHDRAWN,
        permission=staff_or_own_citizen,
        custom={"label": _("Borgeren trækker sig"), "confirm": True, "danger": True},
    )
    def withdraw(self):
        self.stage_before_pause = ""

    @transition(
        stage,
        source=ACTIVE_STAGES,
        target=Stage.PAUSED,
        permission=staff_only,
        custom={"label": _("Sæt forløbet på pause"), "confirm": True},
    )
    def pause(self):
        self.stage_before_pause = self.stage

    @transition(
        stage,
        source=Stage.PAUSED,
        target=GET_STATE(_stage_before_pause, states=[str(s) for s in ACTIVE_STAGES]),
        conditions=[cond.knows_stage_before_pause],
        permission=staff_only,
        custom={"label": _("Genoptag forløbet")},
    )
    def resume(self):
        pass


class CaseTransition(MunicipalityOwned):
    """One step of a case's history: who moved it, from where, to where, why."""

    municipality_from = ("case",)

    case = models.ForeignKey(
        Case, verbose_name=_("forløb"), on_delete=models.CASCADE, related_name="transitions"
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
    from_stage = models.CharField(_("fra"), max_length=50, choices=Stage.choices)
    to_stage = models.CharField(_("til"), max_length=50, choices=Stage.choices)
    reason = models.TextField(_("begrundelse"), blank=True)
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("faseskift")
        verbose_name_plural = _("faseskift")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="applicants_transition_case_at"),
            # The reports count steps into given stages in a municipality (the
            # funnel, self-support): read from the index alone, not from a
            # municipality's whole history scattered over the table.
            models.Index(
                fields=["municipality", "to_stage"],
                include=["case", "from_stage", "at"],
                name="applicants_transition_to",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"


class PhoneInterview(MunicipalityOwned):
    """The phone interview (telefonsamtale): the team explains the offer and
    judges whether the citizen is in the target group, realistic and motivated."""

    municipality_from = ("case",)

    case = models.ForeignKey(
        Case, verbose_name=_("forløb"), on_delete=models.CASCADE, related_name="phone_interviews"
    )
    held_at = models.DateTimeField(_("samtalen blev holdt"), default=timezone.now)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holdt af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_target_group = models.BooleanField(_("i målgruppen"))
    realistic = models.BooleanField(_("realistisk"))
    motivated = models.BooleanField(_("motiveret"))
    notes = models.TextField(_("noter"), blank=True)
    created_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    class Meta:
        verbose_name = _("telefonsamtale")
        verbose_name_plural = _("telefonsamtaler")
        ordering = ["-held_at", "-id"]

    def __str__(self):
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"


class MeetingKind(models.TextChoices):
    PHONE = "phone", _("Telefonsamtale")
    FIRST = "first", _("1. personlige møde")
    SECOND = "second", _("2. personlige møde")
    INDIVIDUAL = "individual", _("Individuelt møde")
    EVALUATION = "evaluation", _("Evalueringsmøde")
    MENTOR = "mentor", _("Mentormøde")
    OTHER = "other", _("Andet møde")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Ikke registreret endnu")
    ATTENDED = "attended", _("Kom")
    ABSENT = "absent", _("Kom ikke")
    CANCELLED = "cancelled", _("Aflyst i forvejen")


class Meeting(MunicipalityOwned):
    """A meeting with the citizen: a first-class record, not a note."""

    municipality_from = ("case",)

    case = models.ForeignKey(
        Case, verbose_name=_("forløb"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("mødetype"), max_length=20, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    place = models.CharField(
        _("sted"), max_length=200, help_text=_("Gerne neutral grund, fx en café.")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medarbejdere til stede"),
        related_name="case_meetings",
        blank=True,
    )
    attendance = models.CharField(
        _("borgeren kom"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    notes = models.TextField(_("noter"), blank=True)
    next_steps = models.TextField(_("næste skridt"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planlagt af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["case", "starts_at"], name="applicants_meeting_case_start"),
            models.Index(fields=["municipality", "starts_at"], name="applicants_meeting_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Mødet skal slutte efter det starter.")})

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


# The citizen's forms (the portal) live in their own module; imported here so
# that Django finds them as models of this app.
from .portal.models import (  # noqa: E402, F401
    Attachment,
    FormStatus,
    FormVersion,
    PortalForm,
    QuestionText,
    SectionComment,
    SignInRequest,
)
from .reports.models import (  # noqa: E402, F401
    BusinessCaseAssumptions,
    SetupCheck,
    TeamMember,
)
