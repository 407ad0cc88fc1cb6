"""Choice fields that cannot be made to crash: an id posted to a form that
no database integer can hold ("99999999999999999999999") is an invalid
choice, like any other id that is not among the choices — not an overflow
in the database driver (a 500 on SQLite and PostgreSQL alike).

Installed once for every model choice field of the product."""

from django import forms
from django.core.exceptions import ValidationError

BIGGEST_ID = 2**63 - 1


def _too_big(value) -> bool:
    text = str(value).strip()
    return text.lstrip("-").isdigit() and abs(int(text)) > BIGGEST_ID


_to_python = forms.ModelChoiceField.to_python
_check_values = forms.ModelMultipleChoiceField._check_values


def _safe_to_python(self, value):
    if value not in self.empty_values and _too_big(value):
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
    return _to_python(self, value)


def _safe_check_values(self, value):
    for item in value or ():
        if _too_big(item):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
            )
    return _check_values(self, value)


def install() -> None:
    if forms.ModelChoiceField.to_python is not _safe_to_python:
        forms.ModelChoiceField.to_python = _safe_to_python
        forms.ModelMultipleChoiceField._check_values = _safe_check_values
