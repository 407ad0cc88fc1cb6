"""What personal data the apps hold about a citizen, and when it may go.

Apps register in a ``gdpr.py`` module of their own (imported at start-up by
``mikrolaan.privacy``); this package never imports an app.

The data subject (one model, the citizen)::

    register_subject(Citizen, for_user=lambda user: Citizen.objects.filter(user=user).first())

Every model whose rows belong to a citizen (a test fails when a model with a
foreign-key path to the citizen is missing)::

    register_personal_data(PersonalData(
        key="meetings",
        title=_("Møder"),
        model=Meeting,
        subject_path="case__citizen",   # lookup from the row to the citizen
        case_path="case",               # lookup to the case, when the row follows a case
        anonymise=anonymise_meetings,   # (queryset, *, now) -> rows changed
    ))

Retention: one policy names the closed cases whose retention period has
run out (``register_retention_policy``); keep rules hold cases back — the
loans app will register "bookkeeping records: 5 years after the end of
their financial year" and "never an open loan"::

    register_keep_rule(KeepRule(
        name="open_loan",
        description=_("Et lån, der ikke er tilbagebetalt, slettes aldrig."),
        keeps=lambda case_ids, *, now: {case_id: "lån 17 er åbent", ...},
    ))

A case is anonymised only when no keep rule keeps it; the citizen only when
every one of their cases is anonymised.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Subject:
    """The data subject: whose data an export holds (the citizen)."""

    model: type[models.Model]
    # (user) -> the subject instance of a signed-in citizen, or None.
    for_user: Callable[[object], models.Model | None]


@dataclass(frozen=True)
class PersonalData:
    """One kind of row that belongs to a citizen."""

    key: str
    title: str
    model: type[models.Model]
    # Lookup from the row to the subject's primary key ("pk" for the subject itself).
    subject_path: str
    # Lookup from the row to the case it follows ("" when it follows the citizen only).
    case_path: str = ""
    # The export's columns, in order; empty means every concrete field but ``exclude``.
    fields: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # (row) -> [(file name in the ZIP, FieldFile)], e.g. a letter's PDF.
    files: Callable[[models.Model], Iterable[tuple[str, object]]] | None = None
    # (queryset of rows to anonymise, *, now) -> rows changed. None: nothing
    # personal to remove (the row holds only ids, dates and choices).
    anonymise: Callable[..., int] | None = None
    order: int = 50


@dataclass(frozen=True)
class Due:
    """A closed case whose retention period has run out."""

    case_id: int
    case_label: str  # the journalnummer: no personal data
    subject_id: int
    closed_at: datetime.datetime
    due_at: datetime.datetime


@dataclass(frozen=True)
class RetentionPolicy:
    name: str
    description: str
    # The model of a case (forløb): the unit that closes and is anonymised.
    case_model: type[models.Model]
    # (*, now) -> the cases due for anonymisation and not yet anonymised.
    due: Callable[..., list[Due]]
    # (subject_ids, case_ids) -> the subjects whose every case is either
    # already anonymised or among ``case_ids``.
    subjects_complete: Callable[[set[int], set[int]], set[int]]
    # (*, now) -> how many closed cases are still inside the period (for the report).
    waiting: Callable[..., int] | None = None


@dataclass(frozen=True)
class KeepRule:
    name: str
    description: str
    # (case_ids, *, now) -> {case_id: why it is kept (ids and dates, no personal data)}
    keeps: Callable[..., dict[int, str]]


@dataclass
class _Registry:
    subject: Subject | None = None
    sources: dict[str, PersonalData] = field(default_factory=dict)
    policy: RetentionPolicy | None = None
    keep_rules: dict[str, KeepRule] = field(default_factory=dict)


_REGISTRY = _Registry()


def register_subject(model, *, for_user) -> Subject:
    subject = Subject(model=model, for_user=for_user)
    if _REGISTRY.subject is not None and _REGISTRY.subject.model is not model:
        raise ValueError("The data subject is already registered")
    _REGISTRY.subject = subject
    return subject


def register_personal_data(source: PersonalData) -> PersonalData:
    existing = _REGISTRY.sources.get(source.key)
    if existing is not None and existing.model is not source.model:
        raise ValueError(f"Personal data {source.key!r} is already registered")
    _REGISTRY.sources[source.key] = source
    return source


def register_retention_policy(policy: RetentionPolicy) -> RetentionPolicy:
    if _REGISTRY.policy is not None and _REGISTRY.policy.name != policy.name:
        raise ValueError("A retention policy is already registered")
    _REGISTRY.policy = policy
    return policy


def register_keep_rule(rule: KeepRule) -> KeepRule:
    _REGISTRY.keep_rules[rule.name] = rule
    return rule


def unregister_keep_rule(name: str) -> None:
    """For tests."""
    _REGISTRY.keep_rules.pop(name, None)


def subject() -> Subject:
    if _REGISTRY.subject is None:
        raise LookupError("No app has registered the data subject (register_subject)")
    return _REGISTRY.subject


def personal_data() -> list[PersonalData]:
    return sorted(_REGISTRY.sources.values(), key=lambda s: (s.order, s.key))


def registered_models() -> set[type[models.Model]]:
    return {s.model for s in _REGISTRY.sources.values()}


def retention_policy() -> RetentionPolicy | None:
    return _REGISTRY.policy


def keep_rules() -> list[KeepRule]:
    return list(_REGISTRY.keep_rules.values())
