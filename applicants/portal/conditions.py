"""The portal's exit condition on the case's stage machine: the team goes on
to the 1st screening only when the citizen has sent the person profile (the
handbook: filled in before the second meeting; screening 1 weighs the
citizen's self-image and motivation from it). Registered from
``ApplicantsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from ..conditions import register_exit_condition
from ..models import Stage
from .definitions import FormKind
from .models import FormStatus, FormVersion

PERSON_PROFILE_LABEL = _(
    "Personprofilen er sendt i portalen eller registreret af teamet for borgeren "
    "(og den er ikke sendt tilbage til rettelse)"
)


def person_profile_submitted(case) -> bool:
    """The newest version of the person profile is sent (waiting for the
    team, or accepted), not sent back for corrections."""
    latest = (
        FormVersion.objects.filter(form__case=case, form__kind=FormKind.PERSON_PROFILE)
        .order_by("-number")
        .values_list("status", flat=True)
        .first()
    )
    return latest in (FormStatus.SUBMITTED, FormStatus.ACCEPTED)


def register() -> None:
    register_exit_condition(
        Stage.SECOND_MEETING,
        person_profile_submitted,
        label=PERSON_PROFILE_LABEL,
        transitions=["to_screening_1"],
    )
