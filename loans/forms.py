from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import IsoDateInput
from mikrolaan.formfields import (
    LONG_TEXT,
    TEXT,
    LimitedTextField,
    PlausibleDateValidator,
    limit_text,
)
from mikrolaan.models import Scheme

from .models import SupportEndReason, validate_account_no, validate_reg_no
from .services import SCHEME_FIELDS


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = SCHEME_FIELDS
        help_texts = {
            "legal_basis_support": _("Citeres i afgørelser om tilskud til forsørgelse."),
            "legal_basis_loan": _("Citeres i afgørelser om lån og i låneaftalen."),
            "legal_basis_text": _(
                "Bruges i afgørelser, når der ikke er angivet en særlig hjemmel."
            ),
            "complaints_text": _(
                "Står i alle afgørelser (klagevejledning, forvaltningsloven § 25). Klagefristen på "
                "4 uger følger af retssikkerhedsloven § 67."
            ),
        }
        widgets = {
            "legal_basis_text": forms.Textarea(attrs={"rows": 3}),
            "complaints_text": forms.Textarea(attrs={"rows": 6}),
            "access_text": forms.Textarea(attrs={"rows": 4}),
        }

    confirm_legal_texts = forms.BooleanField(
        label=_("Jeg har kontrolleret, at hjemlerne og teksterne svarer til gældende ret"),
        required=False,
        help_text=_(
            "Gemmes med dit navn og tidspunktet. Ændres en hjemmel eller tekst senere, skal "
            "den bekræftes igen."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("legal_basis_text", "complaints_text", "access_text"):
            limit_text(self.fields[name], LONG_TEXT)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Ordningen"), "name"),
            Fieldset(_("Hjemmel"), "legal_basis_support", "legal_basis_loan", "legal_basis_text"),
            Fieldset(
                _("Lån"),
                "loan_maximum",
                "recommended_minimum",
                "recommended_maximum",
                "term_months",
            ),
            Fieldset(
                _("Tilskud til forsørgelse"),
                "support_months",
                "extension_cap_months",
                "extension_step_min_months",
                "extension_step_max_months",
            ),
            Fieldset(_("Tekster i afgørelser"), "complaints_text", "access_text"),
            Fieldset(_("Kontrol af hjemmel"), "confirm_legal_texts"),
        )
        self.helper.add_input(Submit("save", _("Gem ordningen")))


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=IsoDateInput(),
        validators=[PlausibleDateValidator(years_ahead=3)],
    )


def _helper(submit_label):
    helper = FormHelper()
    helper.add_input(Submit("save", submit_label))
    return helper


def _fields_only():
    """The fields of an action form; the page has the form tag and button."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ReasonForm(forms.Form):
    """Cancel or write off: the reason is required."""

    reason = LimitedTextField(label=_("Begrundelse"), max_length=TEXT, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _fields_only()


class PayoutForm(forms.Form):
    disbursed_on = _date_field(
        _("Udbetalt den"),
        help_text=_("Den dag, pengene blev sat ind på låntagerens konto."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _fields_only()


class BankAccountForm(forms.Form):
    """The borrower's account at the partner bank, and the consent to the
    team's read access ("kig-adgang")."""

    reg_no = forms.CharField(
        label=_("Reg.nr."),
        max_length=4,
        validators=[validate_reg_no],
        help_text=_("4 cifre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    account_no = forms.CharField(
        label=_("Kontonummer"),
        max_length=10,
        validators=[validate_account_no],
        help_text=_("Op til 10 cifre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent_on = _date_field(
        _("Samtykke til kig-adgang givet den"),
        required=False,
        help_text=_(
            "Borgerens samtykke til, at teamet kan se kontoen i banken (kig-adgang). "
            "Lad feltet stå tomt, hvis samtykket ikke er givet."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem konto og samtykke"))

    def clean_reg_no(self):
        return self.cleaned_data["reg_no"].strip()

    def clean_account_no(self):
        return self.cleaned_data["account_no"].strip()

    def clean_consent_on(self):
        day = self.cleaned_data.get("consent_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Samtykket kan ikke være givet i fremtiden."))
        return day


class SupportGrantForm(forms.Form):
    starts_on = _date_field(
        _("Virksomhedens start"),
        help_text=_("Tilskuddet løber fra denne dag i ordningens antal måneder."),
    )
    facts = LimitedTextField(
        label=_("Oplysninger, vi har lagt vægt på"), max_length=TEXT, rows=3, required=False
    )
    reasons = LimitedTextField(label=_("Begrundelse"), max_length=TEXT, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Bevilg tilskuddet og send afgørelsen"))


class SupportRefusalForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Ansøgt forlængelse (måneder)"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "–")] + [(n, str(n)) for n in range(1, 13)],
        help_text=_("Kun ved afslag på forlængelse."),
    )
    facts = LimitedTextField(label=_("Oplysninger, vi har lagt vægt på"), max_length=TEXT, rows=3)
    reasons = LimitedTextField(label=_("Begrundelse"), max_length=TEXT, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send afslaget"))


class SupportEndForm(forms.Form):
    ended_on = _date_field(_("Tilskuddet ophører den"))
    reason = forms.ChoiceField(
        label=_("Årsag"), choices=SupportEndReason.choices, widget=forms.RadioSelect
    )
    facts = LimitedTextField(label=_("Oplysninger, vi har lagt vægt på"), max_length=TEXT, rows=3)
    reasons = LimitedTextField(label=_("Begrundelse"), max_length=TEXT, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Afslut tilskuddet og send afgørelsen"))
