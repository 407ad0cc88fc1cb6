"""Forms of the repayment pages: input checks only; the rules live in the
services (``loans.repayment``, ``loans.statement_import``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import IsoDateInput, KronerField
from mikrolaan.formfields import SHORT_TEXT, TEXT, LimitedTextField, PlausibleDateValidator

from .arrears import BUCKETS
from .models import LoanState, PaymentMethod, RefundMethod, RepaymentSettings, RescheduleKind
from .statements import MAX_BYTES


def _date(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=IsoDateInput(),
        validators=[PlausibleDateValidator(years_ahead=1)],
        **kwargs,
    )


class PaymentForm(forms.Form):
    value_date = _date(_("Valørdato"), help_text=_("Den dag pengene stod på kommunens konto."))
    amount = KronerField(label=_("Beløb"), min_value=0)
    method = forms.ChoiceField(label=_("Betalingsmåde"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=140, required=False)


class ReversalForm(forms.Form):
    reason = LimitedTextField(
        label=_("Begrundelse for tilbageførslen"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefundForm(forms.Form):
    """Held overpayment paid back to the borrower (the service checks the
    amount against what is held)."""

    prefix = "refund"

    amount = KronerField(label=_("Beløb"), min_value=0)
    paid_on = _date(_("Betalt den"), help_text=_("Den dag pengene blev overført eller udbetalt."))
    method = forms.ChoiceField(label=_("Betalingsmåde"), choices=RefundMethod.choices)
    account = forms.CharField(
        label=_("Konto"),
        max_length=40,
        required=False,
        help_text=_("Reg.nr. og kontonummer, når pengene er overført til låntagerens konto."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=140,
        required=False,
        help_text=_("Fx bankens reference eller bilagsnummer."),
    )
    note = LimitedTextField(
        label=_("Bemærkning"),
        max_length=SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    send_letter = forms.BooleanField(
        label=_("Send et brev til låntageren om tilbagebetalingen"), required=False, initial=True
    )


class RefundReversalForm(forms.Form):
    reason = LimitedTextField(
        label=_("Begrundelse for tilbageførslen"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RescheduleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ændring"), choices=RescheduleKind.choices, widget=forms.RadioSelect
    )
    pause_months = forms.IntegerField(
        label=_("Pause (måneder)"), min_value=1, max_value=24, required=False
    )
    new_amount = KronerField(label=_("Nyt afdrag pr. måned (hele kroner)"), required=False)
    keep_end = forms.BooleanField(
        label=_("Behold slutdatoen (højere afdrag efter pausen)"), required=False
    )
    reasons = LimitedTextField(
        label=_("Begrundelse (står i afgørelsen)"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == RescheduleKind.PAUSE and not data.get("pause_months"):
            self.add_error("pause_months", _("Skriv hvor mange måneder pausen varer."))
        if data.get("kind") == RescheduleKind.AMOUNT:
            amount = data.get("new_amount")
            if not amount:
                self.add_error("new_amount", _("Skriv det nye afdrag."))
            elif amount < 1 or amount != amount.to_integral_value():
                self.add_error("new_amount", _("Det nye afdrag er hele kroner, mindst 1 kr."))
        return data


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Kontoudtog"),
        help_text=_("CSV fra banken (semikolon, komma som decimaltegn) eller camt.053 (XML)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor (højst 20 MB)."))
        return upload


class DismissForm(forms.Form):
    reason = LimitedTextField(
        label=_("Hvorfor afvises linjen?"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fx: ikke en indbetaling på et mikrolån; sendt tilbage til afsenderen."),
    )


class LoanSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Søg lån"),
        max_length=100,
        required=False,
        help_text=_("Betalings-id, journalnummer eller låntagerens navn."),
    )


class AssignForm(forms.Form):
    loan = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class BookFilterForm(forms.Form):
    bucket = forms.ChoiceField(
        label=_("Restance"),
        choices=[("", _("Alle")), *BUCKETS],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle"))]
        + [
            (s.value, s.label)
            for s in (LoanState.DISBURSED, LoanState.REPAID, LoanState.WRITTEN_OFF)
        ],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


CSV_FIELDS = [
    ("date", _("Kolonne med bogføringsdato")),
    ("amount", _("Kolonne med beløb")),
    ("text", _("Kolonne med tekst")),
    ("value_date", _("Kolonne med valørdato (tom: bogføringsdatoen)")),
    ("reference", _("Kolonne med reference")),
    ("counterparty", _("Kolonne med afsender")),
]


class RepaymentSettingsForm(forms.ModelForm):
    class Meta:
        model = RepaymentSettings
        fields = ["first_reminder_days", "second_reminder_days", "pause_contact"]
        widgets = {"pause_contact": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        columns = self.instance.csv_columns or {}
        defaults = {"date": "Dato", "amount": "Beløb", "text": "Tekst"}
        for name, label in CSV_FIELDS:
            self.fields[f"csv_{name}"] = forms.CharField(
                label=label,
                max_length=100,
                required=name in ("date", "amount"),
                initial=columns.get(name, defaults.get(name, "")),
            )

    def clean(self):
        data = super().clean()
        first, second = data.get("first_reminder_days"), data.get("second_reminder_days")
        if first and second and second <= first:
            self.add_error(
                "second_reminder_days",
                _("Anden påmindelse skal komme senere end den første."),
            )
        return data

    def csv_columns(self) -> dict:
        return {name: self.cleaned_data.get(f"csv_{name}", "") for name, _label in CSV_FIELDS}
