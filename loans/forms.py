from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mikrolaan.formfields import LONG_TEXT, limit_text
from mikrolaan.models import Scheme

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
