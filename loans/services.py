"""Writes to schemes, support grants and loans."""

from django.db import transaction
from django.utils import timezone

from mikrolaan.audit import record_event
from mikrolaan.models import Scheme

SCHEME_FIELDS = [
    "name",
    "legal_basis_support",
    "legal_basis_loan",
    "legal_basis_text",
    "loan_maximum",
    "recommended_minimum",
    "recommended_maximum",
    "term_months",
    "support_months",
    "extension_cap_months",
    "extension_step_min_months",
    "extension_step_max_months",
    "complaints_text",
    "access_text",
]


@transaction.atomic
def update_scheme(
    *, scheme: Scheme, actor, data: dict, confirm_legal_texts: bool = False
) -> Scheme:
    """Change a scheme's legal references or limits. Validates the whole
    record, and writes one audit row listing each changed field with its old
    and new value; nothing is written when nothing changed.

    ``confirm_legal_texts``: the actor confirms that the legal references and
    texts are current law (recorded with who and when). A change of any legal
    text without that confirmation takes an earlier confirmation away."""
    obj = Scheme.objects.select_for_update().get(pk=scheme.pk)
    changes = {}
    for field in SCHEME_FIELDS:
        if field not in data:
            continue
        old, new = getattr(obj, field), data[field]
        if old != new:
            changes[field] = [str(old), str(new)]
            setattr(obj, field, new)
    extra = []
    if confirm_legal_texts:
        obj.legal_texts_confirmed_at = timezone.now()
        obj.legal_texts_confirmed_by = actor
        extra = ["legal_texts_confirmed_at", "legal_texts_confirmed_by"]
        changes["legal_texts_confirmed"] = ["", obj.legal_texts_confirmed_at.isoformat()]
    elif obj.legal_texts_confirmed_at and set(changes) & set(Scheme.LEGAL_TEXT_FIELDS):
        obj.legal_texts_confirmed_at = None
        obj.legal_texts_confirmed_by = None
        extra = ["legal_texts_confirmed_at", "legal_texts_confirmed_by"]
    if not changes:
        return obj
    obj.full_clean()
    obj.save(
        update_fields=[*(c for c in changes if c != "legal_texts_confirmed"), *extra, "updated_at"]
    )
    record_event(
        actor=actor,
        action="scheme.changed",
        obj=obj,
        data={"changed_fields": sorted(changes), "changes": changes},
    )
    return obj
