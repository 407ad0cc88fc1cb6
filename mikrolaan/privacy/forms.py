import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..fields import IsoDateInput


class AccessLogFilterForm(forms.Form):
    """The access log's filters. A GET form: no CPR number, since it would
    stand in the address, the server log and the browser's history."""

    borger = forms.IntegerField(required=False, widget=forms.HiddenInput)
    subject_text = forms.CharField(
        label=_("Borgerens navn"),
        required=False,
        max_length=100,
        help_text=_("Søg ikke på CPR-nummer her. Åbn borgerens forløb og vælg 'Adgangslog'."),
    )
    actor_text = forms.CharField(
        label=_("Medarbejder"),
        required=False,
        max_length=100,
        help_text=_("Navn eller brugernavn."),
    )
    date_from = forms.DateField(
        label=_("Fra dato"),
        required=False,
        widget=IsoDateInput(),
    )
    date_to = forms.DateField(
        label=_("Til dato"),
        required=False,
        widget=IsoDateInput(),
    )

    def clean_subject_text(self):
        text = self.cleaned_data["subject_text"].strip()
        if re.search(r"\d{6}", text):
            raise ValidationError(
                _("Søg ikke på CPR-nummer her. Åbn borgerens forløb og vælg 'Adgangslog'.")
            )
        return text

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("Til-datoen ligger før fra-datoen."))
        return data

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "subject_id": d.get("borger"),
            "subject_text": d.get("subject_text") or "",
            "actor_text": (d.get("actor_text") or "").strip(),
            "date_from": d.get("date_from"),
            "date_to": d.get("date_to"),
        }
