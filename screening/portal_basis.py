"""The citizen portal's submitted forms as a basis a screening can rest on
(registered with screening.basis from this app's ready())."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .basis import BasisItem, register_basis_source


def submitted_forms(case) -> list[BasisItem]:
    """Every submitted version of the case's portal forms, newest first:
    one query."""
    from applicants.portal.definitions import FormKind
    from applicants.portal.models import FormVersion

    titles = {k: str(v) for k, v in FormKind.choices}
    versions = (
        FormVersion.objects.filter(form__case=case)
        .select_related("form")
        .only("id", "number", "submitted_at", "form__kind")
        .order_by("-submitted_at", "-id")
    )
    return [
        BasisItem(
            source="forms",
            id=v.pk,
            label=f"{titles.get(v.form.kind, v.form.kind)}, version {v.number}",
            date=timezone.localdate(v.submitted_at),
        )
        for v in versions
    ]


def register() -> None:
    register_basis_source("forms", _("Skemaer fra portalen"), submitted_forms)
