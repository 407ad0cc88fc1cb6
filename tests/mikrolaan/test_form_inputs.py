"""Inputs the browser can show: a date input only shows an ISO value, a
number input only a number with a point.

A Danish-formatted initial value ("26.11.2026") leaves the field empty in the
browser, so a form that is shown again with a date the user typed, or with a
default, would lose it."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from applicants.forms import ProgrammeForm
from mikrolaan.privacy.forms import AccessLogFilterForm

DAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (lambda: ProgrammeForm(initial={"start_date": DAY}), "start_date"),
        (lambda: AccessLogFilterForm(initial={"date_from": DAY, "date_to": DAY}), "date_from"),
        (lambda: AccessLogFilterForm(initial={"date_from": DAY, "date_to": DAY}), "date_to"),
    ],
)
def test_date_input_carries_an_iso_value(form, field):
    html = str(form()[field])
    assert 'type="date"' in html
    assert 'value="2026-11-26"' in html


def _project_forms() -> list[type]:
    """Every form class of the project's apps (their modules imported)."""
    root = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not config.path.startswith(root) or "site-packages" in config.path:
            continue
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if "migrations" in info.name or "management" in info.name:
                continue
            importlib.import_module(info.name)
    ours = {
        c.name.split(".")[0]
        for c in apps.get_app_configs()
        if c.path.startswith(root) and "site-packages" not in c.path
    }
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in ours:
                found.append(sub)
    return found


# What the browser shows of each kind of input: the value it must be given.
AT = datetime.datetime(2026, 11, 26, 14, 30)
BROWSER_VALUES = {
    "date": (DAY, 'value="2026-11-26"'),
    "datetime-local": (AT, 'value="2026-11-26T14:30'),
    "time": (AT.time(), 'value="14:30'),
}


def test_every_date_and_time_input_of_every_form_shows_an_iso_value():
    """Not only the forms above: every field drawn as <input type="date">,
    "datetime-local" or "time" in any of the project's forms, rendered in
    Danish."""
    checked = []
    with translation.override("da"):
        for form_class in _project_forms():
            for name, field in getattr(form_class, "base_fields", {}).items():
                kind = getattr(field.widget, "input_type", None)
                if kind in BROWSER_VALUES:
                    value, expected = BROWSER_VALUES[kind]
                    html = field.widget.render(name, value)
                    assert expected in html, (form_class, name, html)
                    checked.append((form_class.__name__, name, kind))
    assert ("PaymentForm", "value_date", "date") in checked
    assert ("ReportFilterForm", "date_from", "date") in checked
    assert any(kind == "datetime-local" for *_names, kind in checked)


@pytest.mark.django_db
def test_no_number_input_is_given_a_danish_decimal_comma():
    """A localized decimal in <input type="number"> ("0,5") shows as an
    empty field in the browser: localized numbers are text inputs."""
    from decimal import Decimal

    with translation.override("da"):
        for form_class in _project_forms():
            try:
                form = form_class()
            except TypeError:  # needs arguments: its declared fields only
                fields = getattr(form_class, "base_fields", {})
            else:
                fields = form.fields
            for name, field in fields.items():
                widget = field.widget
                if isinstance(widget, forms.NumberInput) and widget.is_localized:
                    html = widget.render(name, Decimal("0.5"))
                    raise AssertionError((form_class, name, html))
