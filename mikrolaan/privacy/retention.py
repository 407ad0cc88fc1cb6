"""Retention: anonymise what has been kept long enough (SPEC §13).

The registered retention policy names the closed cases whose period has run
out; registered keep rules hold cases back (bookkeeping, open loans). The
rest is anonymised, source by source, through each source's own
``anonymise`` function — the one sanctioned change of rows that are
otherwise immutable (generated letters), as the access-log purge is the one
sanctioned deletion. The audit trail says what was anonymised, when and
under which rule, by ids and rule names only: never the personal data.

What the anonymisation leaves: ids, dates, stages, choices and counts, so
that the funnel and outcome figures stay true. What it removes: names, CPR,
address, phone, e-mail, free-text notes and reasons, letter PDFs, and the
citizen's login (deactivated and de-personalised). Copies of names in the
audit trail and access log (``object_repr``, ``actor_label``,
``subject_repr``) and the free-text ``reason`` of audit rows about the
anonymised objects are replaced by ids too.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from mikrolaan.audit import record_event
from mikrolaan.models import AccessLogEntry, AuditEvent

from . import registry

logger = logging.getLogger(__name__)

CASE_ANONYMISED = "privacy.case_anonymised"
SUBJECT_ANONYMISED = "privacy.subject_anonymised"

# What stands where a name stood. Not translated: it is stored data.
ANONYMISED_FIRST_NAME = "Anonymiseret"
ANONYMISED_LAST_NAME = "borger"
ANONYMISED_NAME = f"{ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME}"


def pseudonym_cpr(subject_pk: int) -> str:
    """Ten digits that can never be a CPR number (day 00), unique per
    citizen, so the column's length and uniqueness still hold."""
    return f"00{int(subject_pk):08d}"


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same calendar moment ``years`` earlier (29 February → 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def years_after(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def is_anonymised(model, action: str, outer: str = "pk") -> Exists:
    """An expression for querysets of ``model``: an audit row says the row
    has been anonymised (for ``.exclude(...)`` in the retention policy)."""
    return Exists(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=Cast(OuterRef(outer), output_field=CharField()),
            action=action,
        )
    )


def _label(model, pk) -> str:
    return f"{model._meta.verbose_name} {pk}"


# --- the plan (also the dry-run report) ------------------------------------------


@dataclass
class PlanItem:
    due: registry.Due
    kept_by: list[tuple[str, str]] = field(default_factory=list)
    subject_too: bool = False

    @property
    def kept(self) -> bool:
        return bool(self.kept_by)


@dataclass
class Plan:
    now: datetime.datetime
    policy: registry.RetentionPolicy | None
    items: list[PlanItem]
    waiting: int | None = None

    @property
    def to_anonymise(self) -> list[PlanItem]:
        return [i for i in self.items if not i.kept]

    @property
    def kept(self) -> list[PlanItem]:
        return [i for i in self.items if i.kept]

    @property
    def subjects(self) -> set[int]:
        return {i.due.subject_id for i in self.items if i.subject_too}


def plan(*, now: datetime.datetime | None = None) -> Plan:
    """What a run at ``now`` would anonymise, and what the keep rules hold back."""
    now = now or timezone.now()
    policy = registry.retention_policy()
    if policy is None:
        return Plan(now=now, policy=None, items=[])
    due = policy.due(now=now)
    case_ids = [d.case_id for d in due]
    kept: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if case_ids:
        for rule in registry.keep_rules():
            for case_id, why in rule.keeps(case_ids, now=now).items():
                kept[case_id].append((rule.name, str(why)))
    going = {d.case_id for d in due if d.case_id not in kept}
    subject_ids = {d.subject_id for d in due if d.case_id in going}
    complete = policy.subjects_complete(subject_ids, going) if subject_ids else set()
    items = [
        PlanItem(
            due=d,
            kept_by=kept.get(d.case_id, []),
            subject_too=d.case_id in going and d.subject_id in complete,
        )
        for d in due
    ]
    waiting = policy.waiting(now=now) if policy.waiting else None
    return Plan(now=now, policy=policy, items=items, waiting=waiting)


# --- the run ---------------------------------------------------------------------


def anonymise_due(*, now: datetime.datetime | None = None) -> dict:
    """Anonymise every case (and citizen) the plan lets go: one transaction
    per citizen, so one failure does not hold back the rest. Idempotent: an
    anonymised case has its audit row and is not due again."""
    result = plan(now=now)
    by_subject: dict[int, list[PlanItem]] = defaultdict(list)
    for item in result.to_anonymise:
        by_subject[item.due.subject_id].append(item)
    done_cases = done_subjects = failed = 0
    for subject_id, items in by_subject.items():
        try:
            with transaction.atomic():
                _anonymise_group(result, subject_id, items)
        except Exception:
            failed += 1
            logger.exception("Anonymising the cases of subject %s failed", subject_id)
            continue
        done_cases += len(items)
        done_subjects += any(i.subject_too for i in items)
    return {
        "cases": done_cases,
        "subjects": done_subjects,
        "kept": len(result.kept),
        "failed": failed,
    }


def _anonymise_group(result: Plan, subject_id: int, items: list[PlanItem]) -> None:
    policy = result.policy
    case_ids = {i.due.case_id for i in items}
    subject_ids = {subject_id} if any(i.subject_too for i in items) else set()
    counts, touched = anonymise_rows(case_ids=case_ids, subject_ids=subject_ids, now=result.now)
    scrub_audit_trail(touched=touched, subject_ids=subject_ids)

    case_model = policy.case_model
    for item in items:
        record_event(
            actor=None,
            action=CASE_ANONYMISED,
            obj=case_model._base_manager.get(pk=item.due.case_id),
            object_repr=_label(case_model, item.due.case_id),
            data={
                "case": item.due.case_id,
                "rule": policy.name,
                "closed_at": item.due.closed_at.isoformat(),
                "due_at": item.due.due_at.isoformat(),
                "rows": counts,
                "batch": sorted(case_ids),
            },
        )
    if subject_ids:
        model = registry.subject().model
        record_event(
            actor=None,
            action=SUBJECT_ANONYMISED,
            obj=model._base_manager.get(pk=subject_id),
            object_repr=_label(model, subject_id),
            data={"rule": policy.name, "cases": sorted(case_ids)},
        )


def anonymise_rows(*, case_ids: set[int], subject_ids: set[int], now) -> tuple[dict, list]:
    """Run every source's anonymise function over its rows of these cases
    and citizens. Returns the counts per source and the (model, pks) touched."""
    counts: dict[str, int] = {}
    touched: list[tuple[type[models.Model], list]] = []
    for source in registry.personal_data():
        q = Q()
        if source.case_path and case_ids:
            q |= Q(**{f"{source.case_path}__in": case_ids})
        if subject_ids:
            q |= Q(**{f"{source.subject_path}__in": subject_ids})
        if not q:
            continue
        pks = list(source.model._base_manager.filter(q).values_list("pk", flat=True))
        if not pks:
            continue
        touched.append((source.model, pks))
        if source.anonymise is not None:
            rows = source.model._base_manager.filter(pk__in=pks)
            counts[source.key] = source.anonymise(rows, now=now)
    return counts, touched


def scrub_audit_trail(*, touched, subject_ids: set[int]) -> None:
    """Replace copies of names and free text in audit and access-log rows
    about the anonymised objects by ids.

    The audit trail and the access log are append-only; this, like the
    access log's purge, goes under the append-only querysets on purpose: it
    is the anonymisation the retention rules require, and it is audited."""
    audit = models.QuerySet(model=AuditEvent)
    access = models.QuerySet(model=AccessLogEntry)
    user_model = get_user_model()
    user_ids: list = []
    for model, pks in touched:
        if model is user_model:
            user_ids.extend(pks)
        ct = ContentType.objects.get_for_model(model)
        label = f"{model._meta.verbose_name} "
        ids = [str(pk) for pk in pks]
        audit.filter(content_type=ct, object_id__in=ids).update(
            object_repr=Concat(Value(label), F("object_id")), reason=""
        )
    if subject_ids:
        model = registry.subject().model
        ct = ContentType.objects.get_for_model(model)
        access.filter(subject_type=ct, subject_id__in=[str(pk) for pk in subject_ids]).update(
            subject_repr=Concat(Value(f"{model._meta.verbose_name} "), F("subject_id"))
        )
    if user_ids:
        audit.filter(actor_id__in=user_ids).update(actor_label=ANONYMISED_NAME)
        access.filter(actor_id__in=user_ids).update(actor_label=ANONYMISED_NAME)


def cutoff_for(today: datetime.date) -> datetime.datetime:
    """The daily job's clock: the start of ``today``, so a run is the same
    whenever in the day it happens."""
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def recent_runs(*, limit: int = 20) -> list[AuditEvent]:
    """The latest anonymisations, for the report page."""
    return list(
        AuditEvent.objects.filter(action__in=[CASE_ANONYMISED, SUBJECT_ANONYMISED]).order_by(
            "-created_at", "-id"
        )[:limit]
    )
