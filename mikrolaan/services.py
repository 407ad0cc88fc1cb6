"""Writes to the shared models."""

from django.db import transaction

from .audit import record_event
from .models import MunicipalitySettings


@transaction.atomic
def update_municipality_settings(*, actor, data: dict) -> MunicipalitySettings:
    """Change the municipality's settings (letterhead, contact, links); the
    audit row lists the fields that changed, with old and new values."""
    obj = MunicipalitySettings.objects.select_for_update().get(pk=MunicipalitySettings.load().pk)
    changes = {}
    for field in MunicipalitySettings.EDITABLE_FIELDS:
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
