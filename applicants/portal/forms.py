"""One Django form per step of a portal form, built from the definitions.

Messages say what to do ("Beskriv, hvad du vil sælge eller lave"), never
"Dette felt er påkrævet"; amounts are typed and shown the Danish way
(KronerField)."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from mikrolaan.fields import KronerField
from mikrolaan.formfields import limit_text

from .budget import month_key
from .definitions import (
    AMOUNT,
    CHOICE,
    FIXED,
    MONTH_KEYS,
    MONTHLY,
    MONTHS,
    TEXT,
    TEXTAREA,
    FormDefinition,
    Step,
)
from .models import ReceivedAs

NEGATIVE = _("Skriv et beløb på 0 kr. eller mere")


def _amount_field(label, help_text=""):
    return KronerField(
        label=label,
        help_text=help_text,
        required=False,
        validators=[MinValueValidator(Decimal("0"), message=NEGATIVE)],
        error_messages={
            "max_digits": _("Skriv et mindre beløb"),
            "max_decimal_places": _("Skriv højst 2 decimaler (øre), fx 45.000,50"),
        },
    )


def add_step_fields(form: forms.Form, step: Step, words: dict) -> list:
    """Add the fields of one step's questions to ``form``; returns, per
    question, (question, wording, [field names]) (twelve names for a
    monthly budget line)."""
    question_fields = []
    for q in step.questions:
        w = words[q.key]
        names = []
        if q.kind in (TEXT, TEXTAREA):
            field = forms.CharField(
                label=w.label,
                help_text=w.help,
                required=q.required,
                widget=forms.Textarea(attrs={"rows": 5})
                if q.kind == TEXTAREA
                else forms.TextInput(),
                error_messages={"required": q.missing},
            )
            limit_text(field, q.max_length)
            form.fields[q.key] = field
            names.append(q.key)
        elif q.kind == CHOICE:
            form.fields[q.key] = forms.ChoiceField(
                label=w.label,
                help_text=w.help,
                required=q.required,
                choices=q.choices,
                widget=forms.RadioSelect,
                error_messages={"required": q.missing},
            )
            names.append(q.key)
        elif q.kind in (AMOUNT, FIXED):
            form.fields[q.key] = _amount_field(w.label, w.help)
            names.append(q.key)
        elif q.kind == MONTHLY:
            for key, month in zip(MONTH_KEYS, MONTHS, strict=True):
                name = month_key(q.key, key)
                form.fields[name] = _amount_field(month)
                names.append(name)
        question_fields.append((q, w, names))
    return question_fields


def answers_of(cleaned_data: dict, names) -> dict:
    """The cleaned answers as JSON: text as typed, amounts as plain decimals."""
    result = {}
    for name in names:
        value = cleaned_data.get(name)
        if isinstance(value, Decimal):
            result[name] = str(value.quantize(Decimal("0.01")))
        elif value is None:
            result[name] = ""
        else:
            result[name] = value
    return result


class StepForm(forms.Form):
    """The questions of one step. ``groups`` lists, per question, the bound
    fields that belong to it (twelve for a monthly budget line)."""

    def __init__(self, *args, definition: FormDefinition, step: Step, words: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.step = step
        self.question_fields = add_step_fields(self, step, words)

    def groups(self):
        for q, w, names in self.question_fields:
            yield {"question": q, "wording": w, "fields": [self[n] for n in names]}

    def answers(self) -> dict:
        return answers_of(self.cleaned_data, self.cleaned_data.keys())


def step_field_names(step: Step) -> list[str]:
    names = []
    for q in step.questions:
        if q.kind == MONTHLY:
            names += [month_key(q.key, m) for m in MONTH_KEYS]
        else:
            names.append(q.key)
    return names


def raw_values(step: Step, data) -> dict:
    """What was typed on a step's page, kept as typed (the draft never loses
    text, valid or not)."""
    return {name: str(data.get(name, ""))[:5000] for name in step_field_names(step) if name in data}


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Din e-mailadresse"),
        help_text=_("Den adresse, du har givet mikrolånsteamet."),
        max_length=254,
        error_messages={
            "required": _("Skriv din e-mailadresse"),
            "invalid": _("Skriv en e-mailadresse som navn@eksempel.dk"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Vælg en fil"),
        error_messages={"required": _("Vælg en fil, du vil vedhæfte")},
    )


class SectionCommentForm(forms.Form):
    section = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Kommentar til afsnittet"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv kommentaren")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self.fields["text"], 2000)


class ReviewForm(forms.Form):
    message = forms.CharField(
        label=_("Besked til borgeren"),
        required=False,
        help_text=_("Borgeren læser beskeden i portalen. Skriv, hvad der skal rettes."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self.fields["message"], 2000)


class RegisterForCitizenForm(forms.Form):
    """Staff register a whole portal form for a citizen who cannot use the
    portal: every step's questions on one page (the same fields as the
    portal's step forms), and how the answers were received."""

    received_as = forms.ChoiceField(
        label=_("Hvordan har I fået svarene?"),
        choices=ReceivedAs.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg, hvordan svarene er modtaget")},
    )

    def __init__(self, *args, definition: FormDefinition, words: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.answer_names = []
        fieldsets = []
        for step in definition.steps:
            if not step.questions:
                continue
            names = [n for _q, _w, ns in add_step_fields(self, step, words) for n in ns]
            self.answer_names += names
            fieldsets.append(Fieldset(str(step.title), *names))
        self.order_fields([*self.answer_names, "received_as"])
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *fieldsets,
            Fieldset(_("Modtaget"), "received_as"),
            Submit("submit", _("Send skemaet på borgerens vegne")),
        )

    def answers(self) -> dict:
        return answers_of(self.cleaned_data, self.answer_names)
