"""Course attendance as a basis screening 3 can rest on (registered with
screening.basis): the attendance rate over the modules that count, and the
residential course's observations. Network days never appear here."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.basis import BasisItem, register_basis_source

from .models import Enrolment, ModuleKind
from .selectors import attendance_rates


def attendance_items(case) -> list[BasisItem]:
    """Three queries: the rate setting, the marks, the observations."""
    rate = attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
    items = []
    if rate.counted:
        items.append(
            BasisItem(
                source="courses",
                id="rate",
                label=_("Fremmøde på kurserne: %(percent)s %% (%(attended)s af %(counted)s)")
                % {"percent": rate.percent, "attended": rate.attended, "counted": rate.counted},
                date=timezone.localdate(),
            )
        )
    seats = Enrolment.objects.filter(
        case=case, module__kind=ModuleKind.RESIDENTIAL, observation_at__isnull=False
    ).exclude(observation="")
    for seat in seats.order_by("observation_at", "pk"):
        text = seat.observation if len(seat.observation) <= 120 else seat.observation[:119] + "…"
        items.append(
            BasisItem(
                source="courses",
                id=f"observation-{seat.pk}",
                label=_("Observationer fra kursusinternatet: %(text)s") % {"text": text},
                date=timezone.localdate(seat.observation_at),
            )
        )
    return items


def register() -> None:
    register_basis_source("courses", gettext_lazy("Kursusdeltagelse"), attendance_items)
