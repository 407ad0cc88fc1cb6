"""Input validation for the pipeline's pages; the rules live in services."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import IsoDateInput
from mikrolaan.formfields import (
    LONG_TEXT,
    SHORT_TEXT,
    TEXT,
    LimitedTextField,
    PlausibleDateValidator,
)

from .cpr import normalise_cpr
from .models import (
    PHASES,
    Attendance,
    BenefitType,
    Citizen,
    MeetingKind,
    Programme,
    Source,
    Stage,
    default_week_plan,
)
from .selectors import case_filter_choices, staff_users

YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Meetings are planned at most this far ahead, programmes start at most this
# far ahead; anything later is a typo.
MEETING_YEARS_AHEAD = 2
PROGRAMME_YEARS_AHEAD = 5


def _helper(submit_label, *, method="post", css_class="btn-primary"):
    helper = FormHelper()
    helper.form_method = method
    # Server-side errors with the error summary (DKFDS), not the browser's bubbles.
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", submit_label, css_class=css_class))
    return helper


def _user_label(user) -> str:
    return user.get_full_name() or user.get_username()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


class CprField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("CPR-nummer"))
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("help_text", _("10 cifre, med eller uden bindestreg, fx 010185-1234."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        return normalise_cpr(value) if value else value


def postcode_field():
    return forms.RegexField(
        label=_("Postnummer"),
        regex=r"^\d{4}$",
        required=False,
        error_messages={"invalid": _("Postnummeret skal være 4 cifre.")},
    )


class CitizenFieldsMixin(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=100)
    last_name = forms.CharField(label=_("Efternavn"), max_length=100)
    cpr = CprField()
    street = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    postcode = postcode_field()
    city = forms.CharField(label=_("By"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class IntakeForm(CitizenFieldsMixin):
    """A direct inquiry (the team) or a referral (a caseworker)."""

    benefit_type = forms.ChoiceField(label=_("Forsørgelsesgrundlag"), choices=BenefitType.choices)
    business_idea = LimitedTextField(
        label=_("Forretningsidé"),
        max_length=TEXT,
        help_text=_("Med borgerens egne ord: hvad vil borgeren sælge, og til hvem?"),
    )
    industry = forms.CharField(label=_("Branche"), max_length=200, required=False)
    referral_reason = LimitedTextField(
        label=_("Hvorfor denne borger?"),
        max_length=TEXT,
        required=False,
        help_text=_("Ressourcer, erfaring, netværk og motivation – ikke helbred eller diagnoser."),
    )

    def __init__(self, *args, referral=False, **kwargs):
        super().__init__(*args, **kwargs)
        if referral:
            self.fields["referral_reason"].required = True
            self.helper = _helper(_("Fortsæt til tjek af dine svar"))
        else:
            self.fields["responsible"] = StaffChoiceField(
                label=_("Kontaktperson"), queryset=staff_users(), required=False
            )
            self.fields["programme"] = forms.ModelChoiceField(
                label=_("Program"),
                queryset=Programme.objects.all(),
                required=False,
                help_text=_("Tomt: det program, der er i gang."),
            )
            self.helper = _helper(_("Registrér henvendelsen"))


class CitizenForm(forms.ModelForm):
    cpr = CprField()
    postcode = postcode_field()

    class Meta:
        model = Citizen
        fields = ["first_name", "last_name", "cpr", "street", "postcode", "city", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem borgerens oplysninger"))


class ProgrammeForm(forms.Form):
    """A round of the offer: its week 1 and the planned weeks of each phase."""

    name = forms.CharField(label=_("Navn"), max_length=200)
    start_date = forms.DateField(
        label=_("Startdato (uge 1)"),
        widget=IsoDateInput(),
        validators=[PlausibleDateValidator(years_ahead=PROGRAMME_YEARS_AHEAD)],
    )

    def __init__(self, *args, programme=None, **kwargs):
        if programme is not None:
            initial = {"name": programme.name, "start_date": programme.start_date}
            for key, (first, last) in programme.week_plan.items():
                initial[f"{key}_first"], initial[f"{key}_last"] = first, last
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        plan = programme.week_plan if programme is not None else default_week_plan()
        for key, (label, _stages) in PHASES.items():
            first, last = plan.get(key, default_week_plan()[key])
            self.fields[f"{key}_first"] = forms.IntegerField(
                label=_("%(phase)s: fra uge") % {"phase": label}, min_value=1, initial=first
            )
            self.fields[f"{key}_last"] = forms.IntegerField(
                label=_("%(phase)s: til uge") % {"phase": label},
                min_value=1,
                initial=last,
                required=False,
                help_text=_("Tomt: fasen løber, til forløbet slutter."),
            )
        self.helper = _helper(
            _("Gem programmet") if programme is not None else _("Opret programmet")
        )

    def clean(self):
        data = super().clean()
        for key in PHASES:
            first, last = data.get(f"{key}_first"), data.get(f"{key}_last")
            if first and last and last < first:
                self.add_error(f"{key}_last", _("Til-ugen må ikke ligge før fra-ugen."))
        return data

    def week_plan(self) -> dict:
        d = self.cleaned_data
        return {key: [d[f"{key}_first"], d.get(f"{key}_last")] for key in PHASES}


class CaseDetailsForm(forms.Form):
    responsible = StaffChoiceField(label=_("Kontaktperson"), queryset=staff_users(), required=False)
    benefit_type = forms.ChoiceField(label=_("Forsørgelsesgrundlag"), choices=BenefitType.choices)
    business_idea = LimitedTextField(label=_("Forretningsidé"), max_length=TEXT, required=False)
    industry = forms.CharField(label=_("Branche"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_users()
        self.helper = _helper(_("Gem forløbets oplysninger"))


class PhoneInterviewForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Samtalen blev holdt"),
        widget=DATETIME_WIDGET,
        initial=timezone.now,
        validators=[PlausibleDateValidator(years_ahead=1)],
    )
    in_target_group = forms.ChoiceField(
        label=_("Er borgeren i målgruppen?"), choices=YES_NO, widget=forms.RadioSelect
    )
    realistic = forms.ChoiceField(
        label=_("Virker borgeren realistisk?"), choices=YES_NO, widget=forms.RadioSelect
    )
    motivated = forms.ChoiceField(
        label=_("Virker borgeren motiveret?"), choices=YES_NO, widget=forms.RadioSelect
    )
    notes = LimitedTextField(label=_("Noter"), max_length=LONG_TEXT, rows=4, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem telefonsamtalen"))

    def clean_held_at(self):
        value = self.cleaned_data["held_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("Samtalen kan ikke være holdt i fremtiden."))
        return value

    def answers(self) -> dict:
        d = self.cleaned_data
        return {
            "held_at": d["held_at"],
            "in_target_group": d["in_target_group"] == "yes",
            "realistic": d["realistic"] == "yes",
            "motivated": d["motivated"] == "yes",
            "notes": d["notes"],
        }


class MeetingPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Mødetype"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(
        label=_("Starter"),
        widget=DATETIME_WIDGET,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    ends_at = forms.DateTimeField(
        label=_("Slutter"),
        widget=DATETIME_WIDGET,
        required=False,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    place = forms.CharField(
        label=_("Sted"), max_length=200, help_text=_("Gerne neutral grund, fx en café.")
    )
    staff = StaffMultipleChoiceField(
        label=_("Medarbejdere"),
        queryset=staff_users(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Til 1. personlige møde: mindst to medarbejdere."),
    )
    notes = LimitedTextField(
        label=_("Besked til borgeren"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("Står i mødeindkaldelsen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_users()
        self.helper = _helper(_("Planlæg mødet"))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Mødet skal slutte efter det starter."))
        if data.get("kind") == MeetingKind.FIRST and len(data.get("staff") or []) < 2:
            self.add_error("staff", _("Vælg mindst to medarbejdere til 1. personlige møde."))
        return data


class MeetingMoveForm(forms.Form):
    """A new time or place for a planned meeting; the citizen gets a new
    invitation that says what changed."""

    starts_at = forms.DateTimeField(
        label=_("Nyt tidspunkt"),
        widget=DATETIME_WIDGET,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    ends_at = forms.DateTimeField(
        label=_("Slutter"),
        widget=DATETIME_WIDGET,
        required=False,
        validators=[PlausibleDateValidator(years_ahead=MEETING_YEARS_AHEAD)],
    )
    place = forms.CharField(label=_("Sted"), max_length=200)
    reason = LimitedTextField(
        label=_("Hvorfor flyttes mødet?"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("Står i den nye indkaldelse."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Flyt mødet og send ny indkaldelse"))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and starts <= timezone.now():
            self.add_error("starts_at", _("Det nye tidspunkt skal ligge ude i fremtiden."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Mødet skal slutte efter det starter."))
        return data


class MeetingCancelForm(forms.Form):
    reason = LimitedTextField(
        label=_("Hvorfor aflyses mødet?"),
        max_length=SHORT_TEXT,
        help_text=_("Står i aflysningsbrevet til borgeren."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Aflys mødet og send brev"))


class MeetingRecordForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Kom borgeren?"), choices=Attendance.choices, widget=forms.RadioSelect
    )
    staff = StaffMultipleChoiceField(
        label=_("Medarbejdere til stede"),
        queryset=staff_users(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = LimitedTextField(label=_("Noter"), max_length=LONG_TEXT, rows=4, required=False)
    next_steps = LimitedTextField(label=_("Næste skridt"), max_length=TEXT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_users()
        self.helper = _helper(_("Gem mødet"))


class TransitionForm(forms.Form):
    reason = LimitedTextField(label=_("Begrundelse"), max_length=LONG_TEXT, rows=4, required=False)

    def __init__(self, *args, needs_reason=False, decision=False, withdrawal=False, **kwargs):
        super().__init__(*args, **kwargs)
        if withdrawal:
            self.fields["initiated_by"] = forms.ChoiceField(
                label=_("Hvordan meldte borgeren sig ud?"),
                choices=[
                    ("citizen", _("Borgeren har selv skrevet til os, at hun eller han stopper")),
                    ("staff", _("Borgeren har sagt det til en af os, fx i telefonen")),
                ],
                widget=forms.RadioSelect,
                initial="citizen",
                help_text=_(
                    "Kun når borgeren selv ønsker at stoppe. Er borgeren holdt op med at komme, "
                    "er det kommunens afgørelse: brug »Afslut forløbet (borgeren er holdt op "
                    "med at komme)«."
                ),
            )
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = format_lazy(
                "{} {}",
                _(
                    "Hovedhensyn bag afgørelsen. Står i afgørelsesbrevet: skriv til borgeren "
                    "som »du«, fx »Vi har lagt vægt på, at du …«."
                ),
                self.fields["reason"].help_text,
            )
        if decision:
            self.fields["facts"] = LimitedTextField(
                label=_("Oplysninger, vi har lagt vægt på"),
                max_length=LONG_TEXT,
                required=True,
                help_text=_(
                    "De faktiske oplysninger, afgørelsen bygger på, fx »Du er ikke kommet til "
                    "tre aftalte møder i marts.« Står i brevet til borgeren."
                ),
            )


class WithdrawForm(forms.Form):
    reason = LimitedTextField(
        label=_("Vil du fortælle os hvorfor? (frivilligt)"), max_length=TEXT, required=False
    )


class CaseFilterForm(forms.Form):
    """The list's filters. Choices are plain lists, read once per request
    (a model choice field would query again to validate)."""

    q = forms.CharField(
        label=_("Søg"),
        required=False,
        help_text=_("Navn, journalnummer eller CPR-nummer."),
    )
    stage = forms.ChoiceField(label=_("Fase"), required=False)
    responsible = forms.TypedChoiceField(
        label=_("Kontaktperson"), coerce=int, empty_value=None, required=False
    )
    source = forms.ChoiceField(label=_("Kilde"), required=False)
    programme = forms.TypedChoiceField(
        label=_("Program"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("Alle"))]
        self.fields["stage"].choices = everyone + list(Stage.choices)
        self.fields["source"].choices = everyone + list(Source.choices)
        # Cached per municipality (applicants.selectors.case_filter_choices).
        choices = case_filter_choices()
        self.fields["responsible"].choices = everyone + choices["staff"]
        self.fields["programme"].choices = everyone + choices["programmes"]
        for name in ("stage", "responsible", "source", "programme"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "stage": d.get("stage") or "",
            "responsible_id": d.get("responsible"),
            "source": d.get("source") or "",
            "programme_id": d.get("programme"),
        }
