"""Fields shared by the apps: money in Danish kroner, and the date input."""

import re
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .formatting import format_kr

_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 45.000 / 1.250.000
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d{1,2}$")  # 45000.5 / 45000.50


def normalise_kroner(text: str) -> str:
    """Danish amount text to a plain decimal string, or "" if it cannot be read.

    ``45.000`` (thousands), ``45.000,50`` and ``45000,50`` (Danish comma),
    ``45 000 kr.`` and — because people paste them — ``45000.50``."""
    t = str(text).strip().lower()
    t = t.removesuffix("kr.").removesuffix("kr").removesuffix("dkk").strip()
    t = t.replace(" ", "").replace("\xa0", "")
    if "," in t:
        t = t.replace(".", "").replace(",", ".", 1)
    elif _GROUPED.match(t):
        t = t.replace(".", "")
    elif "." in t and not _POINT_DECIMAL.match(t):
        return ""
    return t


class KronerField(forms.DecimalField):
    """An amount in Danish kroner, typed and shown the Danish way (``45.000``,
    ``45.000,50``). Always a ``Decimal``; never a float."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Skriv et beløb i kroner, fx 45.000 eller 45.000,50."),
    }

    def __init__(self, *, max_digits=12, decimal_places=2, **kwargs):
        kwargs.setdefault("localize", False)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)  # a text field: step would make no sense
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return super().to_python(value)
        normalised = normalise_kroner(value)
        if not normalised:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(normalised)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return format_kr(value, suffix=False)
        return value


class KronerModelField(models.DecimalField):
    """A money column in kroner: ``Decimal`` with øre, 12 digits; its form
    field is :class:`KronerField`, so every ModelForm reads and shows Danish
    amounts."""

    def __init__(self, *args, max_digits=12, decimal_places=2, **kwargs):
        super().__init__(*args, max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": KronerField, **kwargs})


class IsoDateInput(forms.DateInput):
    """``<input type="date">``, its value always written ISO (2026-11-27):
    a browser's date field shows nothing of a Danish "27.11.2026", so a form
    shown again, or with a default date, would look empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
