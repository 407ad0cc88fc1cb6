"""Date inputs are <input type="date">: the browser only shows an ISO value.

A Danish-formatted initial value ("26.11.2026") leaves the field empty in the
browser, so a form that is shown again with a date the user typed, or with a
default, would lose it."""

import datetime

import pytest

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
