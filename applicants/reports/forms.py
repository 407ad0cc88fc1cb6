"""The reports' filters and the team lead's settings behind them."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import IsoDateInput
from mikrolaan.formfields import PlausibleDateValidator

from ..models import Programme
from ..selectors import staff_users
from .models import BusinessCaseAssumptions, Competence, TeamMember
from .registry import ReportFilters


def _helper(submit_label, *, method="post"):
    helper = FormHelper()
    helper.form_method = method
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", submit_label, css_class="btn-primary"))
    return helper


class ReportFilterForm(forms.Form):
    """One programme (or all) and a period of the steps counted."""

    programme = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Alle programmer"),
    )
    date_from = forms.DateField(
        label=_("Fra dato"),
        required=False,
        widget=IsoDateInput(),
        validators=[PlausibleDateValidator(years_ahead=1)],
    )
    date_to = forms.DateField(
        label=_("Til dato"),
        required=False,
        widget=IsoDateInput(),
        validators=[PlausibleDateValidator(years_ahead=1)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("-start_date", "name")

    @cached_property
    def programmes(self) -> list[tuple[int, str, datetime.date]]:
        """The municipality's programmes, newest first: ``(pk, name, week 1)``,
        one query for the select and the business case's first week 1."""
        return list(self.fields["programme"].queryset.values_list("pk", "name", "start_date"))

    @property
    def programme_options(self) -> list[tuple[str, str]]:
        """The select's options (iterating the field's choices would count
        them first)."""
        field = self.fields["programme"]
        return [("", str(field.empty_label))] + [
            (str(pk), name) for pk, name, _start in self.programmes
        ]

    @property
    def first_week_1(self) -> datetime.date | None:
        """The earliest week 1 of the municipality's programmes."""
        return min((start for _pk, _name, start in self.programmes), default=None)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("Til-datoen skal ligge efter fra-datoen."))
        return data

    def filters(self) -> ReportFilters:
        if not self.is_bound or not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data
        return ReportFilters(
            programme=data.get("programme"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class AssumptionsForm(forms.ModelForm):
    class Meta:
        model = BusinessCaseAssumptions
        fields = [
            "benefit_saved_per_month",
            "support_cost_per_month",
            "team_cost_per_year",
            "horizon_years",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem forudsætningerne"))


class TeamMemberForm(forms.ModelForm):
    competences = forms.MultipleChoiceField(
        label=_("Kompetencer"),
        choices=Competence.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = TeamMember
        fields = ["user", "fte", "competences"]
        labels = {"user": _("Medarbejder")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_users()
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        # "0,5" with a Danish comma: a text field (a number field shows
        # nothing of a comma), with the keyboard for decimals on a phone.
        fte = self.fields["fte"]
        fte.localize = True
        fte.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        fte.widget.is_localized = True
        if self.instance.pk:
            self.fields["user"].disabled = True
        self.helper = _helper(_("Gem"))

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not self.instance.pk and TeamMember.objects.filter(user=user).exists():
            raise forms.ValidationError(_("Medarbejderen står allerede i matrixen."))
        return user
