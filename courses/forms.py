"""Forms of the courses: validation of input, crispy layouts; no rules."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from applicants.forms import DATETIME_WIDGET, MEETING_YEARS_AHEAD
from applicants.models import Programme
from mikrolaan.fields import IsoDateInput
from mikrolaan.formfields import SHORT_TEXT, TEXT, LimitedTextField, PlausibleDateValidator
from mikrolaan.roles import Role
from mikrolaan.tenancy import scope_users

from .models import Answer, ExcusedAbsence, Mark, Module, ModuleKind


def _helper(submit_label, *, css_class="btn-primary"):
    helper = FormHelper()
    helper.form_method = "post"
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", submit_label, css_class=css_class))
    return helper


DATE_WIDGET = IsoDateInput()


class ModuleForm(forms.Form):
    key = forms.SlugField(
        label=_("Nøgle"),
        max_length=40,
        help_text=_("Kort navn uden mellemrum, fx »eksport«. Ændres ikke efter brug."),
    )
    title = forms.CharField(label=_("Modul"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=ModuleKind.choices,
        help_text=_("Kun kurser og kursusinternat tæller med i fremmødeprocenten."),
    )
    length = forms.CharField(label=_("Varighed"), max_length=100, required=False)
    description = LimitedTextField(label=_("Beskrivelse"), max_length=TEXT, required=False)
    position = forms.IntegerField(label=_("Rækkefølge"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("I brug"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem modulet"))


class SettingsForm(forms.Form):
    excused_absence = forms.ChoiceField(
        label=_("Lovligt fravær i fremmødeprocenten"),
        choices=ExcusedAbsence.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem indstillingen"))


class CohortForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    name = forms.CharField(label=_("Navn"), max_length=200, help_text=_("Fx »Hold forår 2027«."))
    start_date = forms.DateField(
        label=_("Startdato (holdets uge 1)"),
        widget=DATE_WIDGET,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    place = forms.CharField(label=_("Fast mødested"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("-start_date", "name")
        self.helper = _helper(_("Gem holdet"))


class SessionForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Modul"), queryset=Module.objects.none())
    title = forms.CharField(
        label=_("Overskrift"),
        max_length=200,
        required=False,
        help_text=_("Fx »Gang 3: Driftsbudget«. Tom: modulets navn."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starter"),
        widget=DATETIME_WIDGET,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    ends_at = forms.DateTimeField(
        label=_("Slutter"),
        widget=DATETIME_WIDGET,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    place = forms.CharField(label=_("Sted"), max_length=200)
    teacher = forms.CharField(
        label=_("Underviser"),
        max_length=200,
        required=False,
        help_text=_("Navnet; en ekstern underviser behøver ikke en bruger."),
    )
    programme_text = LimitedTextField(
        label=_("Drejebog"),
        max_length=TEXT,
        required=False,
        help_text=_("Dagens program. Sendes med invitationen til en netværksdag."),
    )

    def __init__(self, *args, modules=None, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules if modules is not None else Module.objects.none()
        self.helper = _helper(submit or _("Gem kursusgangen"))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Kursusgangen skal slutte, efter den starter."))
        return data


class CancelForm(forms.Form):
    reason = LimitedTextField(
        label=_("Hvorfor aflyses kursusgangen?"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("Står i brevet til deltagerne."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Aflys og send brev til deltagerne"), css_class="btn-danger")


class RegisterForm(forms.Form):
    """The attendance register: one mark and one note per participant,
    built from the participants' case ids (``mark-<id>``, ``note-<id>``)."""

    def __init__(self, *args, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.case_ids = list(case_ids)
        for case_id in self.case_ids:
            self.fields[f"mark-{case_id}"] = forms.ChoiceField(
                label=_("Fremmøde"),
                choices=[("", _("Ikke registreret")), *Mark.choices],
                required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
            self.fields[f"note-{case_id}"] = forms.CharField(
                label=_("Note"), max_length=500, required=False
            )

    def marks(self) -> dict:
        return {
            case_id: (self.cleaned_data[f"mark-{case_id}"], self.cleaned_data[f"note-{case_id}"])
            for case_id in self.case_ids
        }


class ObservationForm(forms.Form):
    observation = LimitedTextField(
        label=_("Observationer fra kursusinternatet"),
        max_length=TEXT,
        required=False,
        help_text=_("3. screening kan henvise til dem."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem observationerne"))


class InviteForm(forms.Form):
    cases = forms.TypedMultipleChoiceField(
        label=_("Inviter"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Vælg mindst én at invitere.")},
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [
            (c.pk, f"{c.citizen.full_name} ({c.case_number})") for c in cases
        ]
        self.helper = _helper(_("Send invitationer"))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Kommer du?"),
        choices=[(Answer.YES, _("Ja, jeg kommer")), (Answer.NO, _("Nej, jeg kommer ikke"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Svar ja eller nej.")},
    )


def mentor_users():
    return scope_users(
        get_user_model().objects.filter(groups__name=Role.MENTOR, is_active=True).distinct()
    ).order_by("first_name", "last_name", "username")


class MentorUserField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class MentorForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    trade = forms.CharField(
        label=_("Branche"), max_length=200, help_text=_("Fx »Håndværk«, »Detailhandel«, »IT«.")
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    availability = forms.CharField(
        label=_("Tid og kapacitet"),
        max_length=300,
        required=False,
        help_text=_("Fx »2 timer om måneden, helst formiddage«."),
    )
    active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)
    user = MentorUserField(
        label=_("Bruger"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Mentorens login (rollen mentor), så mentoren kan se sine iværksættere."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = mentor_users()
        self.helper = _helper(_("Gem mentoren"))


class MatchForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].label_from_instance = lambda m: f"{m.name} — {m.trade}"
        self.helper = _helper(_("Kobl til mentoren"))


class MentorMeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Tidspunkt"),
        widget=DATETIME_WIDGET,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    topic = forms.CharField(label=_("Emne"), max_length=200)
    note = LimitedTextField(label=_("Note"), max_length=TEXT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem mødet"))
