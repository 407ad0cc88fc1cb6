"""Reads of the screenings that span relations; a fixed number of queries
whatever a case holds."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone

from applicants.models import CLOSED_STAGES, SCREENING_STAGES, Case

from .models import Hearing, Score, Screening

SHOWN = 25


def screenings_for_case(case: Case) -> list[Screening]:
    """Every screening of the case with its scores, staff and course grants:
    four queries, however many screenings."""
    return list(
        Screening.objects.filter(case=case)
        .select_related("decided_by")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("position", "pk")),
            "staff",
            "course_grants",
        )
        .order_by("number", "created_at", "pk")
    )


def hearings_for_case(case: Case) -> list[Hearing]:
    return list(Hearing.objects.filter(case=case).order_by("-created_at", "-pk"))


def screening_for_page(case: Case, pk: int) -> Screening:
    return (
        Screening.objects.select_related("case", "replaces", "decided_by", "letter")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("position", "pk")),
            "staff",
            "course_grants",
            "basis_meetings",
        )
        .get(pk=pk, case=case)
    )


def screenings_due(limit: int = SHOWN) -> tuple[list[Case], int]:
    """Cases that have entered a screening stage, the longest waiting first:
    one query for the rows, a count only when the list is full."""
    qs = Case.objects.filter(stage__in=SCREENING_STAGES)
    rows = list(
        qs.select_related("citizen")
        .only(
            "id",
            "stage",
            "stage_changed_at",
            "case_number",
            "citizen__first_name",
            "citizen__last_name",
        )
        .order_by("stage_changed_at", "id")[:limit]
    )
    more = qs.count() - limit if len(rows) == limit else 0
    return rows, more


def hearings_past_deadline(limit: int = SHOWN, today=None) -> tuple[list[Hearing], int]:
    """Hearings whose deadline has passed without comments, on open cases
    not yet decided: the adverse decision may now be recorded."""
    today = today or timezone.localdate()
    qs = (
        Hearing.objects.filter(exception="", comments_on__isnull=True, deadline__lt=today)
        .filter(Q(screening__isnull=True) | Q(screening__status="draft"))
        .exclude(case__stage__in=[str(s) for s in CLOSED_STAGES])
    )
    rows = list(qs.select_related("case", "case__citizen").order_by("deadline", "pk")[:limit])
    more = qs.count() - limit if len(rows) == limit else 0
    return rows, more
