"""Every write of the screenings: drafts, decisions, corrections, criteria
and hearings. A decision moves the case through
``applicants.services.transition_case`` and sends its letter in the same
transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import BenefitType, Case, Meeting
from applicants.services import TransitionRefused, check_team_of, transition_case
from loans import services as loans
from mikrolaan.audit import record_event
from mikrolaan.formatting import format_kr
from mikrolaan.letters.services import supersede_letter

from . import letters
from .basis import available_items
from .criteria import HANDBOOK_CRITERIA
from .models import (
    NUMBER_OF_STAGE,
    STAGE_OF,
    CourseGrant,
    Criterion,
    Hearing,
    HearingPurpose,
    Outcome,
    Score,
    Screening,
    ScreeningLocked,
    Status,
    outcome_spec,
)

MIN_STAFF = 2


class ScreeningRefused(Exception):
    """The screening cannot be decided (or changed) now; ``reasons`` are Danish."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = [str(r) for r in reasons]


# --- criteria ------------------------------------------------------------------------


def criteria_for(municipality_id: int, number: int) -> list[Criterion]:
    """The municipality's active criteria for a screening; seeded from the
    handbook the first time."""
    qs = Criterion.objects.filter(municipality_id=municipality_id, number=number)
    if not qs.exists():
        Criterion.objects.bulk_create(
            Criterion(
                municipality_id=municipality_id,
                number=number,
                position=i,
                title=str(title),
                guidance=str(guidance),
            )
            for i, (title, guidance) in enumerate(HANDBOOK_CRITERIA[number])
        )
    return list(qs.filter(active=True).order_by("position", "pk"))


@transaction.atomic
def save_criterion(*, actor, criterion: Criterion | None = None, municipality_id=None, data: dict):
    """The team lead adds or edits a criterion. Records already scored keep
    the text they were scored on."""
    criterion = criterion or Criterion(municipality_id=municipality_id)
    for field in ("number", "position", "title", "guidance", "active"):
        if field in data:
            setattr(criterion, field, data[field])
    criterion.full_clean()
    criterion.save()
    record_event(
        actor=actor,
        action="screening_criterion.saved",
        obj=criterion,
        data={"number": criterion.number, "title": criterion.title, "active": criterion.active},
    )
    return criterion


# --- drafts --------------------------------------------------------------------------


def screening_number_for(case: Case) -> int | None:
    return NUMBER_OF_STAGE.get(case.stage)


@transaction.atomic
def start_screening(*, actor, case: Case, replaces: Screening | None = None) -> Screening:
    """Open a draft for the screening of the case's current stage (or a
    correction of a decided record), with the current criteria to score."""
    if replaces is not None:
        return _start_correction(actor=actor, original=replaces)
    number = screening_number_for(case)
    if number is None:
        raise ScreeningRefused(
            [
                _("Forløbet er ikke i en screeningsfase (det er i fasen %(stage)s).")
                % {"stage": case.get_stage_display()}
            ]
        )
    existing = (
        Screening.objects.filter(case=case, number=number, status=Status.DRAFT)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    screening = Screening(case=case, number=number, created_by=actor)
    screening.full_clean(exclude=["letter"])
    screening.save()
    if actor is not None:
        screening.staff.add(actor)
    Score.objects.bulk_create(
        Score(
            screening=screening,
            municipality_id=case.municipality_id,
            criterion=c,
            position=c.position,
            title=c.title,
            guidance=c.guidance,
        )
        for c in criteria_for(case.municipality_id, number)
    )
    record_event(
        actor=actor, action="screening.started", obj=case, data={"screening": screening.pk}
    )
    return screening


def _start_correction(*, actor, original: Screening) -> Screening:
    if not original.is_decided:
        raise ScreeningRefused([_("Kun en afgjort screening kan rettes med en ny.")])
    if hasattr(original, "replaced_by"):
        raise ScreeningRefused([_("Screeningen er allerede erstattet af en rettelse.")])
    fields = [
        "case",
        "number",
        "held_on",
        "outcome",
        "facts",
        "reasons",
        "rests_on_unknown_information",
        "loan_amount",
        "recommend_support",
        "extension_months",
        "support_ends_on",
        "basis_items",
    ]
    copy = Screening(
        **{f: getattr(original, f) for f in fields}, replaces=original, created_by=actor
    )
    copy.save()
    copy.staff.set(original.staff.all())
    copy.basis_meetings.set(original.basis_meetings.all())
    Score.objects.bulk_create(
        Score(
            screening=copy,
            municipality_id=original.municipality_id,
            criterion_id=s.criterion_id,
            position=s.position,
            title=s.title,
            guidance=s.guidance,
            score=s.score,
            note=s.note,
        )
        for s in original.scores.all()
    )
    CourseGrant.objects.bulk_create(
        CourseGrant(
            screening=copy,
            municipality_id=original.municipality_id,
            module=g.module,
            starts_on=g.starts_on,
            ends_on=g.ends_on,
        )
        for g in original.course_grants.all()
    )
    record_event(
        actor=actor,
        action="screening.correction_started",
        obj=original.case,
        data={"screening": copy.pk, "replaces": original.pk},
    )
    return copy


DRAFT_FIELDS = (
    "held_on",
    "outcome",
    "facts",
    "reasons",
    "rests_on_unknown_information",
    "loan_amount",
    "recommend_support",
    "extension_months",
    "support_ends_on",
)


@transaction.atomic
def save_draft(
    *,
    actor,
    screening: Screening,
    data: dict,
    staff=None,
    scores: dict | None = None,
    meetings=None,
    basis_keys=None,
    modules=None,
) -> Screening:
    """Save what the team has so far. ``scores`` maps a Score's pk to
    ``(score or None, note)``; ``modules`` is a list of ``(module,
    starts_on, ends_on)``; ``basis_keys`` picks items of the registered
    basis sources. Nothing is checked for completeness here: that is the
    decision's job."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if screening.is_decided:
        raise ScreeningLocked("A decided screening cannot be changed")
    for field in DRAFT_FIELDS:
        if field in data:
            setattr(screening, field, data[field])
    if basis_keys is not None:
        wanted = set(basis_keys)
        screening.basis_items = [
            item.as_json() for item in available_items(screening.case) if item.key in wanted
        ]
    screening.full_clean(exclude=["letter", "replaces"])
    screening.save()
    if staff is not None:
        check_team_of(screening.case, staff)
        screening.staff.set(staff)
    if meetings is not None:
        if any(m.case_id != screening.case_id for m in meetings):
            raise ScreeningRefused([_("Et af møderne hører til et andet forløb.")])
        screening.basis_meetings.set(meetings)
    if scores:
        for score in screening.scores.all():
            if score.pk in scores:
                value, note = scores[score.pk]
                score.score, score.note = value, note or ""
                score.full_clean(exclude=["screening", "criterion"])
                score.save(update_fields=["score", "note"])
    if modules is not None:
        screening.course_grants.all().delete()
        CourseGrant.objects.bulk_create(
            CourseGrant(
                screening=screening,
                municipality_id=screening.municipality_id,
                module=module,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            for module, starts_on, ends_on in modules
        )
    record_event(
        actor=actor,
        action="screening.draft_saved",
        obj=screening.case,
        data={"screening": screening.pk, "number": screening.number},
    )
    return screening


# --- the decision --------------------------------------------------------------------


def extension_months_used(case: Case, *, exclude: Screening | None = None) -> int:
    """Months of support extension decided so far (corrections count once)."""
    qs = Screening.objects.filter(
        case=case, number=4, status=Status.DECIDED, outcome=Outcome.EXTEND, replaced_by__isnull=True
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
        if exclude.replaces_id:
            qs = qs.exclude(pk=exclude.replaces_id)
    return qs.aggregate(n=Sum("extension_months"))["n"] or 0


def allowed_outcomes(screening: Screening) -> list[str]:
    """Outcomes of this screening; a førtidspensionist's screening 4 is the
    self-evaluation only, and only a førtidspensionist's is."""
    from .models import OUTCOMES

    outcomes = [s.outcome for s in OUTCOMES[screening.number]]
    if screening.number == 4:
        pension = screening.case.benefit_type == BenefitType.FOERTIDSPENSION
        if pension:
            return [Outcome.SELF_EVALUATION_ONLY]
        outcomes.remove(Outcome.SELF_EVALUATION_ONLY)
    return outcomes


def loan_range_warning(screening: Screening, scheme) -> str:
    """A warning (not an error) when the recommended loan is outside the
    scheme's recommended range."""
    amount = screening.loan_amount
    if screening.outcome != Outcome.RECOMMEND or amount is None:
        return ""
    if amount < scheme.recommended_minimum or amount > scheme.recommended_maximum:
        return _(
            "Beløbet ligger uden for ordningens anbefalede interval (%(lo)s–%(hi)s kr.). "
            "Begrund det særligt i indstillingen."
        ) % {
            "lo": format_kr(scheme.recommended_minimum, suffix=False),
            "hi": format_kr(scheme.recommended_maximum, suffix=False),
        }
    return ""


def hearing_problems(case: Case, *, screening: Screening | None, purpose: str, needed: bool):
    """Why an adverse decision may not be recorded yet: a hearing still
    running, or one that is needed but neither held nor excepted."""
    today = timezone.localdate()
    qs = Hearing.objects.filter(case=case, purpose=purpose)
    if screening is not None:
        ids = [screening.pk] + ([screening.replaces_id] if screening.replaces_id else [])
        qs = qs.filter(screening_id__in=ids)
    hearings = list(qs)
    problems = []
    for h in hearings:
        if h.is_pending(today):
            problems.append(
                _(
                    "Partshøringen kører stadig: borgeren har frist til den %(day)s og har ikke "
                    "svaret endnu. Afgørelsen kan først træffes, når fristen er udløbet, eller "
                    "når borgerens bemærkninger er registreret."
                )
                % {"day": h.deadline.strftime("%d.%m.%Y")}
            )
    if needed and not any(h.is_resolved(today) for h in hearings):
        problems.append(
            _(
                "Afgørelsen bygger på oplysninger, som borgeren ikke kan antages at kende: send "
                "en partshøring (forvaltningsloven § 19), eller registrér hvilken undtagelse i "
                "§ 19, stk. 2, der gælder."
            )
        )
    return problems


def decision_problems(screening: Screening) -> list[str]:
    """Everything that stops the record from being decided, in Danish."""
    problems = []
    case = screening.case
    scheme = case.municipality.current_scheme()
    if screening.is_decided:
        return [_("Screeningen er allerede afgjort.")]
    if screening.replaces_id is None and case.stage != STAGE_OF[screening.number]:
        problems.append(
            _("Forløbet er ikke længere i fasen %(stage)s.")
            % {"stage": screening.get_number_display()}
        )
    if screening.staff.count() < MIN_STAFF:
        problems.append(
            _("Der skal være mindst to medarbejdere med i screeningen. Teamet træffer afgørelsen.")
        )
    spec = outcome_spec(screening.number, screening.outcome)
    if spec is None or screening.outcome not in allowed_outcomes(screening):
        problems.append(_("Vælg et udfald af screeningen."))
    if screening.replaces_id and screening.outcome != screening.replaces.outcome:
        problems.append(
            _(
                "En rettelse skal have samme udfald som den screening, den erstatter. Et andet "
                "udfald kræver en ny afgørelse efter klage eller genoptagelse."
            )
        )
    missing = [s.title for s in screening.scores.all() if s.score is None]
    if missing:
        problems.append(
            _("Giv en score (1–5) for hvert kriterium. Mangler: %(list)s.")
            % {"list": ", ".join(missing)}
        )
    if not screening.reasons.strip():
        problems.append(_("Skriv begrundelsen til borgeren."))
    if spec is not None and spec.adverse and not screening.facts.strip():
        problems.append(_("Skriv de oplysninger, vi har lagt vægt på. De skal stå i et afslag."))
    outcome = screening.outcome
    if outcome == Outcome.COURSES_GRANTED and not screening.course_grants.exists():
        problems.append(_("Vælg de kursusmoduler, der bevilges."))
    if outcome == Outcome.RECOMMEND:
        amount = screening.loan_amount
        if amount is None or amount < Decimal("1"):
            problems.append(_("Skriv det lånebeløb, teamet indstiller til."))
        elif amount > scheme.loan_maximum:
            problems.append(
                _("Lånet må højst være %(max)s kr. efter ordningen.")
                % {"max": format_kr(scheme.loan_maximum, suffix=False)}
            )
    if outcome == Outcome.EXTEND:
        months = screening.extension_months
        lo, hi = scheme.extension_step_min_months, scheme.extension_step_max_months
        if months is None or not lo <= months <= hi:
            problems.append(
                _("En forlængelse er %(lo)s–%(hi)s måneder ad gangen.") % {"lo": lo, "hi": hi}
            )
        elif extension_months_used(case, exclude=screening) + months > scheme.extension_cap_months:
            problems.append(
                _(
                    "Forlængelsen overskrider loftet: i alt højst %(cap)s måneder, og der er "
                    "allerede forlænget %(used)s."
                )
                % {
                    "cap": scheme.extension_cap_months,
                    "used": extension_months_used(case, exclude=screening),
                }
            )
    if outcome in (Outcome.SELF_SUPPORTING, Outcome.BUSINESS_STOPPED) and not (
        screening.support_ends_on
    ):
        problems.append(_("Skriv den dato, tilskuddet til forsørgelse ophører."))
    if spec is not None and spec.adverse and screening.replaces_id is None:
        problems += hearing_problems(
            case,
            screening=screening,
            purpose=HearingPurpose.SCREENING,
            needed=screening.rests_on_unknown_information,
        )
    return problems


@transaction.atomic
def decide_screening(*, actor, screening: Screening) -> Screening:
    """Record the team's decision: the record becomes immutable, the case
    takes the outcome's transition (a correction moves nothing), and the
    decision letter is requested in the same transaction."""
    screening = Screening.objects.select_for_update().select_related("case").get(pk=screening.pk)
    problems = decision_problems(screening)
    if problems:
        raise ScreeningRefused(problems)
    spec = screening.spec
    case = Case.objects.get(pk=screening.case_id)
    screening.status = Status.DECIDED
    screening.decided_at = timezone.now()
    screening.decided_by = actor
    # Written by update(): the model refuses save() of a decided row.
    Screening.objects.filter(pk=screening.pk, status=Status.DRAFT).update(
        status=Status.DECIDED, decided_at=screening.decided_at, decided_by=actor
    )
    if screening.replaces_id is None:
        try:
            transition_case(
                case=case,
                transition=spec.transition,
                actor=actor,
                reason=screening.reasons,
                data={"screening": screening.pk, "facts": screening.facts},
                send_letters=False,
            )
        except TransitionRefused as exc:
            raise ScreeningRefused(exc.reasons) from exc
    letter = None
    if spec.letter_kind:
        original = screening.replaces.letter if screening.replaces_id else None
        context = letters.decision_context(screening)
        if original is not None and not hasattr(original, "superseded_by"):
            letter = supersede_letter(letter=original, actor=actor, context=context)
        else:
            letter = letters.send_decision_letter(screening, author=actor, context=context)
        Screening.objects.filter(pk=screening.pk).update(letter=letter)
        screening.letter = letter
    if screening.replaces_id is None:
        _carry_out_in_loans(screening, case=case, actor=actor, letter=letter)
    record_event(
        actor=actor,
        action="screening.decided",
        obj=case,
        data={
            "screening": screening.pk,
            "number": screening.number,
            "outcome": screening.outcome,
            "replaces": screening.replaces_id,
            "letter": letter.pk if letter else None,
        },
    )
    return screening


def _carry_out_in_loans(screening: Screening, *, case: Case, actor, letter) -> None:
    """Screening 3's recommendation becomes a loan in state *recommended*
    (the team lead approves it later, never the person who recommended it);
    screening 4 extends or ends the running support grant. A case from
    before support grants were recorded has none: its screening stands alone."""
    try:
        if screening.outcome == Outcome.RECOMMEND:
            loans.recommend_loan(
                actor=actor, case=case, principal=screening.loan_amount, screening=screening
            )
        elif screening.outcome == Outcome.EXTEND and loans.running_grant(case):
            loans.extend_support(
                actor=actor,
                case=case,
                months=screening.extension_months,
                screening=screening,
                letter=letter,
                reasons=screening.reasons,
            )
        elif screening.outcome in (Outcome.SELF_SUPPORTING, Outcome.BUSINESS_STOPPED):
            loans.end_support(
                actor=actor,
                case=case,
                ended_on=screening.support_ends_on,
                reason=screening.outcome,
                facts=screening.facts,
                reasons=screening.reasons,
                screening=screening,
                letter=letter,
            )
    except loans.LoanRefused as exc:
        raise ScreeningRefused(exc.reasons) from exc


# --- hearings ------------------------------------------------------------------------


def default_deadline(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.HEARING_DEADLINE_DAYS)


@transaction.atomic
def send_hearing(
    *,
    actor,
    case: Case,
    information: str,
    purpose: str = HearingPurpose.SCREENING,
    screening: Screening | None = None,
    deadline: datetime.date | None = None,
) -> Hearing:
    """Send the citizen a hearing letter with the information the adverse
    decision would rest on and a deadline for comments (default: the
    HEARING_DEADLINE_DAYS setting)."""
    if not information.strip():
        raise ScreeningRefused([_("Skriv de oplysninger, borgeren skal høres om.")])
    deadline = deadline or default_deadline()
    if deadline <= timezone.localdate():
        raise ScreeningRefused([_("Fristen skal ligge efter i dag.")])
    if screening is not None and screening.is_decided:
        raise ScreeningRefused([_("Screeningen er allerede afgjort.")])
    hearing = Hearing(
        case=case,
        screening=screening,
        purpose=purpose,
        information=information.strip(),
        deadline=deadline,
        created_by=actor,
    )
    hearing.full_clean(exclude=["letter"])
    hearing.save()
    hearing.letter = letters.send_hearing_letter(hearing, author=actor)
    hearing.save(update_fields=["letter"])
    record_event(
        actor=actor,
        action="hearing.sent",
        obj=case,
        data={"hearing": hearing.pk, "deadline": deadline.isoformat(), "purpose": purpose},
    )
    return hearing


@transaction.atomic
def register_hearing_comments(
    *, actor, hearing: Hearing, comments: str, channel: str, received_on=None
) -> Hearing:
    """The citizen's comments, from the portal (the citizen is the actor) or
    registered by staff after a phone call or a letter."""
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.is_exception:
        raise ScreeningRefused([_("Der er ingen partshøring at svare på.")])
    if hearing.answered:
        raise ScreeningRefused([_("Bemærkningerne er allerede registreret.")])
    if not comments.strip():
        raise ScreeningRefused([_("Skriv bemærkningerne.")])
    hearing.comments = comments.strip()
    hearing.comments_channel = channel
    hearing.comments_on = received_on or timezone.localdate()
    hearing.comments_registered_by = actor
    hearing.full_clean(exclude=["letter"])
    hearing.save(
        update_fields=["comments", "comments_channel", "comments_on", "comments_registered_by"]
    )
    record_event(
        actor=actor,
        action="hearing.answered",
        obj=hearing.case,
        data={"hearing": hearing.pk, "channel": channel},
    )
    return hearing


@transaction.atomic
def record_hearing_exception(
    *,
    actor,
    case: Case,
    exception: str,
    reason: str,
    purpose: str = HearingPurpose.SCREENING,
    screening: Screening | None = None,
) -> Hearing:
    """No hearing: staff record which § 19, stk. 2 exception applies and why."""
    if not reason.strip():
        raise ScreeningRefused([_("Begrund, hvorfor undtagelsen gælder.")])
    hearing = Hearing(
        case=case,
        screening=screening,
        purpose=purpose,
        exception=exception,
        exception_reason=reason.strip(),
        created_by=actor,
    )
    hearing.full_clean(exclude=["letter"])
    hearing.save()
    record_event(
        actor=actor,
        action="hearing.exception",
        obj=case,
        data={"hearing": hearing.pk, "exception": exception, "purpose": purpose},
    )
    return hearing


def meetings_for_basis(case: Case) -> list[Meeting]:
    return list(Meeting.objects.filter(case=case).order_by("-starts_at", "-id"))
