"""Reads of letters."""

from django.db.models import QuerySet

from mikrolaan.roles import Role, has_role, is_staff_member

from .models import Letter, LetterStatus


def _base() -> QuerySet:
    return Letter.objects.select_related("author", "recipient", "case")


def letters_for_case(case) -> QuerySet:
    """Every letter on a case, newest first (staff's case page): 1 query."""
    return _base().filter(case=case).order_by("-created_at", "-pk")


def letters_for_citizen(citizen) -> QuerySet:
    """The letters a citizen may read in the portal: their generated ones."""
    return (
        _base()
        .filter(recipient=citizen, status=LetterStatus.GENERATED)
        .order_by("-created_at", "-pk")
    )


def letter_for_user(user, pk) -> Letter | None:
    """The letter if ``user`` may read it: staff any letter; a citizen only
    letters addressed to them. None otherwise (the view answers 404, so that
    a citizen cannot probe which letter ids exist)."""
    qs = _base().filter(pk=pk)
    if is_staff_member(user):
        return qs.first()
    if has_role(user, Role.CITIZEN):
        return qs.filter(recipient__user=user).first()
    return None
