"""Writes to the shared models: municipalities and who belongs to them."""

from django.db import transaction

from .audit import record_event
from .models import Municipality, Scheme, UserProfile


@transaction.atomic
def create_municipality(*, actor, code: str, name: str, **fields) -> Municipality:
    """A new municipality, starting from the default scheme (the handbook's
    values), which its team lead then adjusts to the municipality's own."""
    fields.pop("updated_at", None)
    municipality = Municipality(code=code, name=name, **fields)
    municipality.full_clean()
    municipality.save()
    Scheme.objects.create(municipality=municipality)
    record_event(actor=actor, action="municipality.created", obj=municipality, data={"code": code})
    return municipality


@transaction.atomic
def assign_user(*, actor, user, municipality: Municipality) -> UserProfile:
    """Make ``user`` belong to ``municipality`` (staff, caseworker, mentor,
    administrator — or a citizen, whose municipality follows their case)."""
    profile, created = UserProfile.objects.update_or_create(
        user=user, defaults={"municipality": municipality}
    )
    record_event(
        actor=actor,
        action="user.assigned_municipality",
        obj=municipality,
        data={"user": user.pk, "new": created},
    )
    return profile


@transaction.atomic
def update_municipality_settings(*, actor, municipality: Municipality, data: dict) -> Municipality:
    """Change a municipality's settings (letterhead, contact, links); the
    audit row lists the fields that changed, with old and new values."""
    obj = Municipality.objects.select_for_update().get(pk=municipality.pk)
    changes = {}
    for field in Municipality.EDITABLE_FIELDS:
        if field not in data:
            continue
        old, new = getattr(obj, field), data[field]
        if field == "logo":
            if new is None or new == old:
                continue
            if new is False:  # cleared in the form
                new = ""
            changes[field] = [str(old or ""), str(getattr(new, "name", new) or "")]
        elif old != new:
            changes[field] = [old, new]
        setattr(obj, field, new)
    obj.full_clean()
    obj.save()
    if changes:
        record_event(actor=actor, action="municipality_settings.changed", obj=obj, data=changes)
    return obj
