"""Money typed the Danish way: KronerField reads what people type and shows
amounts as they are written in Denmark."""

from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from mikrolaan.fields import KronerField


@pytest.mark.parametrize(
    "typed,amount",
    [
        ("45000", Decimal("45000")),
        ("45.000", Decimal("45000")),
        ("45.000,50", Decimal("45000.50")),
        ("45000,5", Decimal("45000.5")),
        ("45 000 kr.", Decimal("45000")),
        ("1.250.000", Decimal("1250000")),
        ("45000.50", Decimal("45000.50")),  # pasted from elsewhere
        (" 300 kr ", Decimal("300")),
    ],
)
def test_reads_danish_amounts(typed, amount):
    assert KronerField().clean(typed) == amount


@pytest.mark.parametrize("typed", ["fyrre tusind", "45.00.0", "4.5000", "45,000,00", "kr."])
def test_refuses_what_it_cannot_read_with_a_danish_message(typed):
    with pytest.raises(forms.ValidationError) as err:
        KronerField().clean(typed)
    assert "Skriv et beløb i kroner" in str(err.value)


def test_shows_amounts_the_danish_way():
    field = KronerField()
    assert field.prepare_value(Decimal("50000.00")) == "50.000"
    assert field.prepare_value(Decimal("1234.5")) == "1.234,50"
    assert field.prepare_value("typed text stays") == "typed text stays"


def test_widget_is_a_text_field_for_decimal_keyboards():
    html = str(forms.Form.__class__("F", (forms.Form,), {"x": KronerField()})()["x"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_what_it_shows_it_reads_back(amount):
    field = KronerField()
    assert field.clean(field.prepare_value(amount)) == amount
