"""Conditions on the case's stage machine, and the hooks other apps use to add
their own.

Built-in conditions are small functions ``(case) -> bool`` with a Danish
``label`` that is shown when the condition fails. They are attached to the
transitions in ``applicants.models``.

Exit-condition hooks
--------------------
Some conditions belong to apps that come after ``applicants``: leaving a
screening stage needs the screening record that the ``screening`` app keeps.
``applicants`` never imports those apps; instead they register a condition
on the stage it guards, usually in their ``AppConfig.ready()``::

    from applicants.conditions import register_exit_condition

    def screening_1_decided(case) -> bool:
        return Screening.objects.filter(case=case, number=1, decided_at__isnull=False).exists()

    register_exit_condition(
        "screening_1",
        screening_1_decided,
        label=_("1. screening er afgjort og registreret"),
    )

``transition_case`` consults the registry for every transition that leaves
the stage, and refuses with the label of each failing condition. By default a
hook guards every transition out of the stage except ``withdraw`` and
``pause``: a citizen may always withdraw (the offer is voluntary) and a
case may always be paused. Pass ``transitions=[...]`` to guard only some
transitions, e.g. ``transitions=["admit"]`` to let a decline pass without the
record. Registering the same function twice for a stage replaces the first
registration (safe under autoreload); ``unregister_exit_condition`` removes it.

Registered today: the ``screening`` app guards every transition out of the
four screening stages (a decided screening record whose outcome matches the
transition) and ``end_case`` from every stage (the hearing); the citizen
portal (``applicants.portal.conditions``) guards ``to_screening_1`` out of
``second_meeting`` with the submitted person profile.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Transitions that no hook blocks unless it names them explicitly.
ALWAYS_OPEN = frozenset({"withdraw", "pause"})


def label(text):
    """Give a condition function its Danish, readable name."""

    def decorate(func):
        func.label = text
        return func

    return decorate


def condition_label(func) -> str:
    return str(getattr(func, "label", func.__name__))


# --- built-in conditions -----------------------------------------------------


@label(_("Telefonsamtalen er registreret"))
def phone_interview_recorded(case) -> bool:
    return case.phone_interviews.exists()


@label(_("Telefonsamtalen viser, at borgeren er i målgruppen"))
def phone_interview_in_target_group(case) -> bool:
    latest = case.phone_interviews.order_by("-held_at", "-id").first()
    return bool(latest and latest.in_target_group)


@label(_("Telefonsamtalen er registreret, før forløbet afsluttes efter samtalen"))
def decline_interview_recorded(case) -> bool:
    if case.stage != "phone_interview":
        return True
    return case.phone_interviews.exists()


@label(_("1. personlige møde er holdt med mindst to medarbejdere, og borgeren kom til mødet"))
def first_meeting_held_with_two_staff(case) -> bool:
    return (
        case.meetings.filter(kind="first", attendance="attended", starts_at__lte=timezone.now())
        .annotate(n_staff=Count("staff"))
        .filter(Q(n_staff__gte=2))
        .exists()
    )


@label(_("2. personlige møde er holdt, og borgeren kom til mødet"))
def second_meeting_held(case) -> bool:
    return case.meetings.filter(
        kind="second", attendance="attended", starts_at__lte=timezone.now()
    ).exists()


@label(_("Forløbet ved, hvilken fase det blev sat på pause fra"))
def knows_stage_before_pause(case) -> bool:
    return bool(case.stage_before_pause)


# --- the registry ------------------------------------------------------------


@dataclass(frozen=True)
class ExitCondition:
    stage: str
    func: Callable
    label: str
    transitions: frozenset | None  # None: every transition but ALWAYS_OPEN

    def guards(self, transition: str) -> bool:
        if self.transitions is None:
            return transition not in ALWAYS_OPEN
        return transition in self.transitions


_REGISTRY: dict[str, list[ExitCondition]] = {}


def register_exit_condition(
    stage: str, func: Callable, label, *, transitions: Iterable[str] | None = None
) -> ExitCondition:
    """Require ``func(case)`` to be true before a case leaves ``stage``."""
    entry = ExitCondition(
        stage=str(stage),
        func=func,
        label=label,
        transitions=frozenset(transitions) if transitions is not None else None,
    )
    entries = [e for e in _REGISTRY.get(entry.stage, []) if e.func is not func]
    entries.append(entry)
    _REGISTRY[entry.stage] = entries
    return entry


def unregister_exit_condition(stage: str, func: Callable) -> None:
    _REGISTRY[str(stage)] = [e for e in _REGISTRY.get(str(stage), []) if e.func is not func]


def exit_conditions(stage: str, transition: str) -> list[ExitCondition]:
    return [e for e in _REGISTRY.get(str(stage), []) if e.guards(transition)]


def failed_exit_conditions(case, transition: str) -> list[str]:
    """Labels of the registered hooks that block ``transition`` from the case's stage."""
    return [str(e.label) for e in exit_conditions(case.stage, transition) if not e.func(case)]
