"""The screening form, the hearing forms and the criteria form. Validation
of input only; whether a record can be decided is the service's question."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.forms import StaffMultipleChoiceField
from applicants.selectors import staff_users
from mikrolaan.fields import IsoDateInput, KronerField
from mikrolaan.formfields import LONG_TEXT, TEXT, LimitedTextField, PlausibleDateValidator

from .criteria import HANDBOOK_MODULES
from .models import Channel, Criterion, Exception19, Number, Outcome

SCORE_CHOICES = [(str(i), str(i)) for i in range(1, 6)]
SCORE_HELP = _("1 = meget svagt, 3 = tilstrækkeligt med forbehold, 5 = meget godt.")


def _date_field(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=IsoDateInput(),
        validators=[PlausibleDateValidator(years_ahead=3)],
    )


class ScreeningForm(forms.Form):
    """One form for every screening; the fields of the outcome that only some
    screenings have are added per number."""

    held_on = _date_field(_("Dato for screeningen"), required=True)
    staff = StaffMultipleChoiceField(
        label=_("Medarbejdere, der deltog"),
        queryset=staff_users(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Teamet træffer afgørelsen: mindst to medarbejdere."),
    )
    meetings = forms.TypedMultipleChoiceField(
        label=_("Møder, vurderingen bygger på"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    basis_items = forms.MultipleChoiceField(
        label=_("Skemaer og kursusdeltagelse"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(
        label=_("Udfald"), required=False, widget=forms.RadioSelect, choices=()
    )
    facts = LimitedTextField(
        label=_("Oplysninger, vi har lagt vægt på"),
        max_length=LONG_TEXT,
        rows=4,
        required=False,
        help_text=_(
            "De faktiske oplysninger, afgørelsen bygger på. Skal udfyldes ved et afslag. "
            "Skriv til borgeren som »du«, fx »Du er kommet til 2 af 6 aftalte møder.«"
        ),
    )
    reasons = LimitedTextField(
        label=_("Begrundelse"),
        max_length=LONG_TEXT,
        rows=5,
        required=False,
        help_text=_(
            "Hovedhensynene bag afgørelsen, i et sprog borgeren forstår. Står i brevet: skriv "
            "til borgeren som »du«, fx »Vi har lagt vægt på, at du …«. Scorerne bliver "
            "til sætninger i brevet; skriv ikke tallene her."
        ),
    )
    rests_on_unknown_information = forms.BooleanField(
        label=_("Et afslag bygger på oplysninger, som borgeren ikke kan antages at kende"),
        required=False,
        help_text=_(
            "Fx en note fra en anden medarbejder eller oplysninger fra en anden myndighed. "
            "Så skal borgeren partshøres (forvaltningsloven § 19), før afgørelsen træffes."
        ),
    )

    def __init__(self, *args, screening, meetings, basis_items, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.screening = screening
        self.fields["staff"].queryset = staff_users()
        tz = timezone.get_current_timezone()
        self.fields["meetings"].choices = [
            (
                m.pk,
                f"{m.starts_at.astimezone(tz):%d.%m.%Y} · {m.get_kind_display()} · "
                f"{m.get_attendance_display()}",
            )
            for m in meetings
        ]
        self.fields["basis_items"].choices = [
            (item.key, f"{item.label}" + (f" · {item.date:%d.%m.%Y}" if item.date else ""))
            for item in basis_items
        ]
        labels = dict(Outcome.choices)
        self.fields["outcome"].choices = [(o, labels[o]) for o in outcomes]
        self.score_rows = []
        for score in screening.scores.all():
            value = f"score_{score.pk}"
            note = f"note_{score.pk}"
            self.fields[value] = forms.ChoiceField(
                label=score.title,
                choices=SCORE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text=SCORE_HELP,
            )
            self.fields[note] = LimitedTextField(
                label=_("Note om %(title)s") % {"title": score.title.lower()},
                max_length=TEXT,
                rows=2,
                required=False,
                help_text=_(
                    "Noten står i brevet efter vurderingen af kriteriet: skriv til borgeren "
                    "som »du«."
                ),
            )
            self.initial.setdefault(value, str(score.score) if score.score else "")
            self.initial.setdefault(note, score.note)
            self.score_rows.append((score, value, note))
        self.module_rows = []
        if screening.number == Number.SECOND:
            granted = {g.module: g for g in screening.course_grants.all()}
            for key, label in HANDBOOK_MODULES:
                grant = granted.get(key)
                self.fields[f"module_{key}"] = forms.BooleanField(label=label, required=False)
                self.fields[f"module_{key}_starts"] = _date_field(_("Starter"))
                self.fields[f"module_{key}_ends"] = _date_field(_("Slutter"))
                self.initial.setdefault(f"module_{key}", grant is not None)
                if grant is not None:
                    self.initial.setdefault(f"module_{key}_starts", grant.starts_on)
                    self.initial.setdefault(f"module_{key}_ends", grant.ends_on)
                self.module_rows.append(
                    (f"module_{key}", f"module_{key}_starts", f"module_{key}_ends")
                )
        if screening.number == Number.THIRD:
            self.fields["loan_amount"] = KronerField(
                label=_("Indstillet lån (kr.)"),
                required=False,
                help_text=_(
                    "Inden for ordningens maksimum; uden for det anbefalede interval "
                    "får du en advarsel."
                ),
            )
            self.fields["recommend_support"] = forms.BooleanField(
                label=_("Indstil til tilskud til forsørgelse (ikke ved førtidspension)"),
                required=False,
            )
        if screening.number == Number.FOURTH:
            self.fields["extension_months"] = forms.TypedChoiceField(
                label=_("Forlængelse (måneder)"),
                choices=[("", "–"), *[(str(i), str(i)) for i in range(1, 7)]],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields["support_ends_on"] = _date_field(
                _("Tilskuddet ophører den"), help_text=_("Ved ophør af støtten.")
            )

    def clean(self):
        data = super().clean()
        for _module, starts, ends in self.module_rows:
            if data.get(starts) and data.get(ends) and data[ends] < data[starts]:
                self.add_error(ends, _("Modulet skal slutte efter det starter."))
        return data

    def draft_data(self) -> dict:
        d = self.cleaned_data
        data = {
            "held_on": d["held_on"],
            "outcome": d.get("outcome") or "",
            "facts": d.get("facts", ""),
            "reasons": d.get("reasons", ""),
            "rests_on_unknown_information": d.get("rests_on_unknown_information", False),
        }
        for field in ("loan_amount", "recommend_support", "extension_months", "support_ends_on"):
            if field in self.fields:
                data[field] = d.get(field)
        return data

    def scores(self) -> dict:
        d = self.cleaned_data
        return {
            score.pk: (int(d[value]) if d.get(value) else None, d.get(note, ""))
            for score, value, note in self.score_rows
        }

    def modules(self) -> list | None:
        if not self.module_rows:
            return None
        d = self.cleaned_data
        return [
            (key.removeprefix("module_"), d.get(starts), d.get(ends))
            for key, starts, ends in self.module_rows
            if d.get(key)
        ]


def _helper(label):
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", label))
    return helper


class HearingForm(forms.Form):
    information = LimitedTextField(
        label=_("Oplysningerne, borgeren høres om"),
        max_length=LONG_TEXT,
        rows=5,
        help_text=_(
            "Skriv hver oplysning, afgørelsen vil bygge på, og som borgeren ikke kan antages at "
            "kende, så borgeren kan forstå den. Skriv til borgeren som »du«."
        ),
    )
    deadline = _date_field(_("Frist for bemærkninger"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send partshøringen"))


class HearingCommentsForm(forms.Form):
    comments = LimitedTextField(label=_("Borgerens bemærkninger"), max_length=LONG_TEXT, rows=5)
    channel = forms.ChoiceField(
        label=_("Modtaget"),
        choices=[c for c in Channel.choices if c[0] != Channel.PORTAL],
        widget=forms.RadioSelect,
    )
    received_on = _date_field(_("Modtaget den"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registrér bemærkningerne"))


class PortalHearingForm(forms.Form):
    comments = LimitedTextField(label=_("Dine bemærkninger"), max_length=LONG_TEXT, rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send dine bemærkninger"))


class HearingExceptionForm(forms.Form):
    exception = forms.ChoiceField(
        label=_("Hvilken undtagelse i forvaltningslovens § 19, stk. 2, gælder?"),
        choices=Exception19.choices,
        widget=forms.RadioSelect,
    )
    reason = LimitedTextField(
        label=_("Begrundelse for undtagelsen"),
        max_length=TEXT,
        rows=3,
        help_text=_("Hvorfor kan afgørelsen træffes uden partshøring? Gemmes på sagen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registrér undtagelsen"))


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["number", "position", "title", "guidance", "active"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem kriteriet"))
