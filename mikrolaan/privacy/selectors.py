"""Reads of the access log: the team lead's and DPO's page, and the
citizen's own "who has looked at my case" (GDPR art. 15)."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.models import AccessLogEntry
from mikrolaan.roles import Role

from . import registry

# Most powerful first, as mikrolaan.roles.primary_role.
_ROLE_ORDER = [
    Role.TEAM_LEAD,
    Role.TEAM_MEMBER,
    Role.ADMINISTRATOR,
    Role.CASEWORKER,
    Role.MENTOR,
    Role.CITIZEN,
]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log(
    *,
    subject_id: int | None = None,
    subject_text: str = "",
    actor_text: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The access log filtered, newest first; with the readers' groups
    prefetched, so a page of rows costs two queries whatever its size."""
    qs = AccessLogEntry.objects.all()
    if subject_id is not None:
        qs = qs.filter(
            subject_type=ContentType.objects.get_for_model(registry.subject().model),
            subject_id=str(subject_id),
        )
    for word in subject_text.split():
        qs = qs.filter(subject_repr__icontains=word)
    if actor_text:
        qs = qs.filter(Q(actor_label__icontains=actor_text) | Q(actor__username=actor_text))
    if date_from:
        qs = qs.filter(created_at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return (
        qs.select_related("actor").prefetch_related("actor__groups").order_by("-created_at", "-id")
    )


def reads_of_own_data(user) -> QuerySet | None:
    """Who has looked at the signed-in citizen's data: every read but their
    own. None when the user is no registered citizen."""
    subject = registry.subject().for_user(user)
    if subject is None:
        return None
    return (
        AccessLogEntry.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )
        .exclude(actor=user)
        .select_related("actor")
        .prefetch_related("actor__groups")
        .order_by("-created_at", "-id")
    )


def role_label(user) -> str:
    """The reader's role, from the prefetched groups (no query)."""
    if user is None:
        return str(_("systemet"))
    names = {g.name for g in user.groups.all()}
    if user.is_superuser:
        names.add(Role.ADMINISTRATOR)
    labels = dict(Role.choices)
    for role in _ROLE_ORDER:
        if role in names:
            return str(labels[role])
    return ""


def with_roles(entries) -> list[AccessLogEntry]:
    entries = list(entries)
    for entry in entries:
        entry.actor_role = role_label(entry.actor)
    return entries
