"""Error messages that say what to do (SPEC §10, the DKFDS patterns): a
missing answer is "Indtast fornavn" or "Vælg forsørgelsesgrundlag", never
Django's "Dette felt er påkrævet".

One mechanism for every form in the product: after a form is cleaned, each
"required" error is reworded from the field's label and kind of input.
Forms that already give a field its own required message keep it."""

from django import forms
from django.utils.translation import gettext as _

CHOOSING = (
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.CheckboxInput,
)


def _label_in_sentence(label: str) -> str:
    """'Fornavn' → 'fornavn'; 'CPR-nummer' stays as it is."""
    label = str(label or "").strip().rstrip(":")
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def required_message(field: forms.Field) -> str:
    label = _label_in_sentence(field.label or "")
    if isinstance(field, forms.FileField):
        return _("Vælg en fil: %(label)s") % {"label": label} if label else _("Vælg en fil")
    if isinstance(field.widget, CHOOSING):
        return _("Vælg %(label)s") % {"label": label} if label else _("Vælg en mulighed")
    return _("Indtast %(label)s") % {"label": label} if label else _("Udfyld feltet")


_original_full_clean = forms.BaseForm.full_clean


def _full_clean_with_messages(self):
    _original_full_clean(self)
    errors = getattr(self, "_errors", None)
    if not errors:
        return
    default = str(forms.Field.default_error_messages["required"])
    for name, error_list in errors.items():
        field = self.fields.get(name)
        if field is None:
            continue
        own = str(field.error_messages.get("required", default))
        if own != default:
            continue  # the form says it in its own words
        for error in error_list.data:
            if getattr(error, "code", None) == "required":
                error.message = required_message(field)
                error.params = None


def install() -> None:
    """Called once from the shared app's ready()."""
    if forms.BaseForm.full_clean is not _full_clean_with_messages:
        forms.BaseForm.full_clean = _full_clean_with_messages
