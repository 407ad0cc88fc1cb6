"""Courses and network (SPEC §5): the module catalogue, cohorts (hold) and
their sessions, the seats granted at screening 2, attendance, network-day
invitations, mentors, and the calendar feed.

Attendance at a network day is recorded like any other session but never
counts: only modules whose kind counts (the collective courses and the
residential course) enter an attendance rate or a screening basis."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.models import MunicipalityOwned


class ModuleKind(models.TextChoices):
    COURSE = "course", _("Kursus")
    RESIDENTIAL = "residential", _("Kursusinternat")
    NETWORK_DAY = "network_day", _("Netværksdag")
    AD_HOC = "ad_hoc", _("Ad hoc-kursus / fyraftensmøde")


# The kinds whose attendance is weighed at screening 3. Network days never
# count (handbook: "ikke karakter af tvang"); ad hoc meetings are offers.
COUNTING_KINDS = (ModuleKind.COURSE, ModuleKind.RESIDENTIAL)


class Module(MunicipalityOwned):
    """A module of the municipality's catalogue, seeded from the handbook
    and edited by the team lead. ``key`` ties the handbook's modules to the
    grants of screening 2."""

    key = models.SlugField(_("nøgle"), max_length=40)
    title = models.CharField(_("modul"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=ModuleKind.choices)
    length = models.CharField(_("varighed"), max_length=100, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    active = models.BooleanField(_("i brug"), default=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("kursusmodul")
        verbose_name_plural = _("kursusmoduler")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "key"],
                name="courses_module_key_per_municipality",
                violation_error_message=_("Kommunen har allerede et modul med den nøgle."),
            )
        ]

    def __str__(self):
        return str(self.title)

    @property
    def counts(self) -> bool:
        return self.kind in COUNTING_KINDS

    @property
    def is_network_day(self) -> bool:
        return self.kind == ModuleKind.NETWORK_DAY


class ExcusedAbsence(models.TextChoices):
    LEFT_OUT = "left_out", _("Tæller hverken for eller imod (trækkes ud af beregningen)")
    ABSENT = "absent", _("Tæller som fravær")
    PRESENT = "present", _("Tæller som fremmøde")


class CourseSettings(MunicipalityOwned):
    """The team lead's settings of the courses, one row per municipality."""

    excused_absence = models.CharField(
        _("lovligt fravær i fremmødeprocenten"),
        max_length=20,
        choices=ExcusedAbsence.choices,
        default=ExcusedAbsence.LEFT_OUT,
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("indstilling for kurser")
        verbose_name_plural = _("indstillinger for kurser")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], name="courses_settings_per_municipality"
            )
        ]

    def __str__(self):
        return str(self.get_excused_absence_display())


class Cohort(MunicipalityOwned):
    """A cohort (hold) of a programme: its week 1, sessions and participants."""

    municipality_from = ("programme",)

    programme = models.ForeignKey(
        "applicants.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    name = models.CharField(_("navn"), max_length=200)
    start_date = models.DateField(_("startdato (holdets uge 1)"))
    place = models.CharField(_("fast mødested"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("hold")
        ordering = ["-start_date", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="courses_cohort_name_per_municipality",
                violation_error_message=_("Kommunen har allerede et hold med det navn."),
            )
        ]

    def __str__(self):
        return str(self.name)

    def week_of(self, day) -> int:
        """The cohort week a day falls in: its start date is in week 1."""
        return (day - self.start_date).days // 7 + 1


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    CANCELLED = "cancelled", _("Aflyst")


class Session(MunicipalityOwned):
    """One scheduled session of a module: a course day, a residential
    course, or a network day (which belongs to no cohort when it is for
    every borrower)."""

    municipality_from = ("cohort", "module")

    module = models.ForeignKey(
        Module, verbose_name=_("modul"), on_delete=models.PROTECT, related_name="sessions"
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("hold"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(
        _("overskrift"), max_length=200, blank=True, help_text=_("Fx »Gang 3: Driftsbudget«.")
    )
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200)
    teacher = models.CharField(
        _("underviser"),
        max_length=200,
        blank=True,
        help_text=_("Navnet på underviseren; en ekstern underviser behøver ikke en bruger."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    programme_text = models.TextField(
        _("drejebog"),
        blank=True,
        help_text=_("Dagens program; sendes med invitationen til en netværksdag."),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("kursusgang")
        verbose_name_plural = _("kursusgange")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["municipality", "starts_at"], name="courses_session_start"),
            models.Index(fields=["cohort", "starts_at"], name="courses_session_cohort"),
        ]

    def __str__(self):
        return f"{self.display_title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def display_title(self) -> str:
        return self.title or str(self.module.title)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Kursusgangen skal slutte, efter den starter.")})


class Enrolment(MunicipalityOwned):
    """A seat: a case enrolled on a module in a cohort, usually for a
    module granted at screening 2 (``grant``). The residential course's
    observations are written on its seat."""

    municipality_from = ("cohort", "case", "module")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("hold"), on_delete=models.PROTECT, related_name="enrolments"
    )
    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("modul"), on_delete=models.PROTECT, related_name="enrolments"
    )
    grant = models.OneToOneField(
        "screening.CourseGrant",
        verbose_name=_("bevilling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seat",
    )
    observation = models.TextField(_("observationer"), blank=True)
    observation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("observationer skrevet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    observation_at = models.DateTimeField(_("observationer skrevet"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tilmeldt af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(_("tilmeldt"), default=timezone.now)

    class Meta:
        verbose_name = _("plads på hold")
        verbose_name_plural = _("pladser på hold")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "case", "module"], name="courses_one_seat_per_module"
            )
        ]

    def __str__(self):
        return f"{self.case_id} {self.module_id}"


class Mark(models.TextChoices):
    PRESENT = "present", _("Mødt")
    ABSENT = "absent", _("Fravær")
    EXCUSED = "excused", _("Lovligt fravær")


class AttendanceRecord(MunicipalityOwned):
    """A participant's attendance at one session, with a note."""

    municipality_from = ("session", "case")

    session = models.ForeignKey(
        Session, verbose_name=_("kursusgang"), on_delete=models.CASCADE, related_name="attendance"
    )
    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="course_attendance",
    )
    mark = models.CharField(_("fremmøde"), max_length=10, choices=Mark.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registreret"), default=timezone.now)

    class Meta:
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="courses_one_mark_per_session")
        ]

    def __str__(self):
        return f"{self.session_id} {self.case_id}: {self.mark}"


class Answer(models.TextChoices):
    NONE = "", _("Ikke svaret")
    YES = "yes", _("Ja, jeg kommer")
    NO = "no", _("Nej, jeg kommer ikke")


class NetworkInvitation(MunicipalityOwned):
    """An invitation of a borrower to a network day, and their answer. An
    answer (or no answer) never counts against anyone."""

    municipality_from = ("session", "case")

    session = models.ForeignKey(
        Session, verbose_name=_("netværksdag"), on_delete=models.CASCADE, related_name="invitations"
    )
    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="network_invitations",
    )
    answer = models.CharField(
        _("svar"), max_length=5, choices=Answer.choices, blank=True, default=Answer.NONE
    )
    answered_at = models.DateTimeField(_("svaret"), null=True, blank=True)
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inviteret af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("inviteret"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation til netværksdag")
        verbose_name_plural = _("invitationer til netværksdage")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="courses_one_invitation")
        ]

    def __str__(self):
        return f"{self.session_id} {self.case_id}: {self.answer or '-'}"


class Mentor(MunicipalityOwned):
    """A volunteer mentor with knowledge of a trade. A mentor who signs in
    has a user (role mentor) and sees only their own mentees."""

    name = models.CharField(_("navn"), max_length=200)
    trade = models.CharField(_("branche"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    availability = models.CharField(
        _("tid og kapacitet"),
        max_length=300,
        blank=True,
        help_text=_("Fx »2 timer om måneden, helst formiddage«."),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentor",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentorer")
        ordering = ["name", "pk"]

    def __str__(self):
        return str(self.name)


class MentorMatch(MunicipalityOwned):
    """A borrower matched to a mentor, from a day until (maybe) another."""

    municipality_from = ("mentor", "case")

    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="matches"
    )
    case = models.ForeignKey(
        "applicants.Case",
        verbose_name=_("forløb"),
        on_delete=models.PROTECT,
        related_name="mentor_matches",
    )
    started_on = models.DateField(_("fra"), default=timezone.localdate)
    ended_on = models.DateField(_("til"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("koblet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kobling til mentor")
        verbose_name_plural = _("koblinger til mentorer")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_on__isnull=True),
                name="courses_one_current_mentor",
            )
        ]

    def __str__(self):
        return f"{self.mentor_id} – {self.case_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class MentorMeeting(MunicipalityOwned):
    """A meeting between a mentor and their mentee: planned or held."""

    municipality_from = ("match",)

    match = models.ForeignKey(
        MentorMatch, verbose_name=_("kobling"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("tidspunkt"))
    topic = models.CharField(_("emne"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentormøde")
        verbose_name_plural = _("mentormøder")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.topic} {timezone.localtime(self.starts_at):%Y-%m-%d}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's secret calendar address. Revoking it makes a new token: the
    old address answers 404 from then on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("nøgle"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")

    def __str__(self):
        return f"{self.user_id}"
