"""The screenings' exit conditions on the case's stage machine, registered
from ``ScreeningConfig.ready`` (``applicants`` never imports this app).

Each transition out of a screening stage needs a decided screening of that
stage, decided since the case entered it, whose outcome is the one the
transition carries out. ``end_case`` (staff end a case because the citizen
stopped coming) needs the hearing: answered, past its deadline, or a
recorded § 19, stk. 2 exception — and none still running."""

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applicants.conditions import register_exit_condition
from applicants.models import ACTIVE_STAGES, Stage

from .models import OUTCOMES, STAGE_OF, Hearing, HearingPurpose, Number, Screening, Status


def _decided_with(number: int, outcomes: frozenset):
    def condition(case) -> bool:
        return Screening.objects.filter(
            case=case,
            number=number,
            status=Status.DECIDED,
            outcome__in=outcomes,
            decided_at__gte=case.stage_changed_at,
        ).exists()

    condition.__name__ = f"screening_{number}_decided_{'_'.join(sorted(outcomes))}"
    return condition


def end_case_heard(case) -> bool:
    hearings = list(Hearing.objects.filter(case=case, purpose=HearingPurpose.END_CASE))
    today = timezone.localdate()
    return bool(hearings) and not any(h.is_pending(today) for h in hearings)


_REGISTERED = []


def register() -> None:
    if _REGISTERED:
        return
    for number, specs in OUTCOMES.items():
        by_transition: dict[str, set] = {}
        for spec in specs:
            by_transition.setdefault(spec.transition, set()).add(str(spec.outcome))
        for transition, outcomes in by_transition.items():
            label = format_lazy(
                "{} {}", Number(number).label, _("er afgjort og registreret med det udfald")
            )
            register_exit_condition(
                STAGE_OF[number],
                _decided_with(number, frozenset(outcomes)),
                label=label,
                transitions=[transition],
            )
    for stage in (*ACTIVE_STAGES, Stage.PAUSED):
        register_exit_condition(
            stage,
            end_case_heard,
            label=_(
                "Borgeren er partshørt om afslutningen (svar modtaget eller fristen udløbet), "
                "eller undtagelsen i forvaltningslovens § 19, stk. 2, er registreret"
            ),
            transitions=["end_case"],
        )
    _REGISTERED.append(True)
