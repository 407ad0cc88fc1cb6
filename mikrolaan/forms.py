from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Municipality


class MunicipalitySettingsForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = Municipality.EDITABLE_FIELDS
        help_texts = {
            "cvr": _("8 cifre, fx 29189811."),
            "logo": _("PNG eller JPEG. Vises i brevhovedet på breve."),
            "fi_creditor_number": _("8 cifre. Står på indbetalingskortet (+71) på låneaftalen."),
            "accessibility_statement_url": _(
                "Linket står i bunden af hver side (webtilgængelighedsloven)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Gem indstillinger")))
