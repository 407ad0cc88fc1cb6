"""Form fields every app uses for the same input rules.

- :class:`LimitedTextField`: a text area with a limit the page states
  ("Højst 2.000 tegn."), enforced by the form; the model's ``TextField`` keeps
  no database limit. :func:`limit_text` does the same for a ModelForm's field.
- :class:`PlausibleDateValidator`: no date before 1900 and none absurdly far
  ahead (a typo such as 20266 for 2026), with a Danish error at the field.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(1900, 1, 1)

# The limits of the project's text areas, in characters: a short note, a
# message or a reason, and a long text (meeting notes, legal texts).
SHORT_TEXT = 1000
TEXT = 2000
LONG_TEXT = 5000


def _limit_sentence(max_length: int) -> str:
    return gettext("Højst %(n)s tegn.") % {"n": number_format(max_length, force_grouping=True)}


def _limit_help(max_length: int, help_text=""):
    """The help text with the limit after it, translated when shown."""
    limit = lazy(_limit_sentence, str)(max_length)
    return format_lazy("{} {}", help_text, limit) if help_text else limit


def limit_text(field: forms.CharField, max_length: int) -> None:
    """Give a form's text field a limit, stated in its help text."""
    field.max_length = max_length
    field.validators.append(MaxLengthValidator(max_length))
    field.widget.attrs["maxlength"] = str(max_length)
    field.help_text = _limit_help(max_length, field.help_text)


class LimitedTextField(forms.CharField):
    """A text area of at most ``max_length`` characters; the page says so."""

    def __init__(self, *, max_length: int = TEXT, rows: int = 3, help_text="", **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(
            max_length=max_length, help_text=_limit_help(max_length, help_text), **kwargs
        )


@deconstructible
class PlausibleDateValidator:
    """A date (or a datetime's local date) from 1900 up to ``years_ahead`` years
    from today."""

    def __init__(self, years_ahead: int):
        self.years_ahead = years_ahead

    def __call__(self, value):
        # A datetime from a form is aware, with the local wall-clock time:
        # its date() is the local date, with no conversion that could
        # overflow for year 1.
        day = value.date() if isinstance(value, datetime.datetime) else value
        if day < EARLIEST_DATE:
            raise ValidationError(_("Datoen skal ligge i år 1900 eller senere."), code="too_early")
        today = timezone.localdate()
        try:
            latest = today.replace(year=today.year + self.years_ahead)
        except ValueError:  # 29 February
            latest = today.replace(year=today.year + self.years_ahead, day=28)
        if day > latest:
            raise ValidationError(
                ngettext(
                    "Datoen ligger for langt ude i fremtiden. Den må højst ligge %(n)d år frem.",
                    "Datoen ligger for langt ude i fremtiden. Den må højst ligge %(n)d år frem.",
                    self.years_ahead,
                )
                % {"n": self.years_ahead},
                code="too_late",
            )

    def __eq__(self, other):
        return isinstance(other, PlausibleDateValidator) and other.years_ahead == self.years_ahead
