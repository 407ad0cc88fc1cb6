"""Writing the audit trail and the access log. Call these from services,
inside the same transaction as the change they describe."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import AccessLogEntry, AuditEvent


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "system"}
    label = actor.get_full_name() or actor.get_username()
    return {"actor": actor, "actor_label": label[:200]}


def _audit_label(obj) -> str:
    """How the audit trail names a row. The trail is kept for years, so a
    model whose ``str()`` carries a citizen's name (a case: number and name)
    names itself through ``audit_label()`` without it."""
    label = getattr(obj, "audit_label", None)
    return label() if callable(label) else str(obj)


def _object_fields(obj, object_repr: str | None = None) -> dict:
    if obj is None:
        return {"content_type": None, "object_id": "", "object_repr": ""}
    return {
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": str(obj.pk),
        "object_repr": (_audit_label(obj) if object_repr is None else object_repr)[:300],
    }


def _municipality_of(obj) -> int | None:
    """The municipality a row belongs to: its own, else the request's."""
    from .tenancy import current_municipality_id

    municipality_id = getattr(obj, "municipality_id", None) if obj is not None else None
    if municipality_id is None and obj is not None and obj._meta.model_name == "municipality":
        municipality_id = obj.pk
    return municipality_id or current_municipality_id()


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one row to the audit trail. ``object_repr`` replaces ``str(obj)``
    where the object's name is personal data that must not be kept (GDPR
    exports and anonymisation name objects by id only)."""
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        municipality_id=_municipality_of(obj),
        **_object_fields(obj, object_repr),
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        data=data or {},
    )


def log_access(*, actor, subject: models.Model, what: str, request=None) -> AccessLogEntry | None:
    """Log that ``actor`` read personal data of ``subject`` (usually a citizen).

    Inside a request the page's row is written by the access-log middleware
    anyway (see :mod:`mikrolaan.access_log`); this only names more precisely
    what the page showed. Outside a request the row is written at once."""
    from .access_log import current_collector

    collector = current_collector()
    if collector is not None and request is not None:
        collector.note(
            type(subject),
            subject.pk,
            municipality_id=getattr(subject, "municipality_id", None),
            label=str(subject),
            what=what,
        )
        return None
    return AccessLogEntry.objects.create(
        **_actor_fields(actor),
        municipality_id=_municipality_of(subject),
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:300],
        what=what[:300],
        path=(request.get_full_path()[:500] if request is not None else ""),
    )


def events_for(obj: models.Model):
    """The audit trail of one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


@transaction.atomic
def purge_access_log(*, now=None) -> int:
    """Delete access-log rows older than the retention period (a setting).

    The one sanctioned deletion of append-only rows; it leaves an audit row
    with the count, so the purge itself is traceable."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    qs = models.QuerySet(model=AccessLogEntry).filter(created_at__lt=cutoff)
    deleted = qs._raw_delete(qs.db)
    record_event(
        actor=None,
        action="access_log.purged",
        data={"cutoff": cutoff.isoformat(), "rows": deleted},
    )
    return deleted
