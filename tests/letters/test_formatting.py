"""Danish formatting of money and dates (mikrolaan.formatting, {% load danish %})."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from mikrolaan.formatting import (
    dansk_dato,
    dansk_dato_lang,
    dansk_tidspunkt,
    format_kr,
    parse_kr,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.50"), "1.234,50 kr."),
        (Decimal("1234.5"), "1.234,50 kr."),
        (1234, "1.234 kr."),
        (Decimal("50000.00"), "50.000 kr."),
        (0, "0 kr."),
        (Decimal("0.05"), "0,05 kr."),
        (Decimal("999.995"), "1.000 kr."),
        (Decimal("-417.25"), "-417,25 kr."),
        ("12345.50", "12.345,50 kr."),
        (Decimal("1234567.89"), "1.234.567,89 kr."),
    ],
)
def test_kr_formats_danish_amounts_whole_kroner_without_oere(value, expected):
    assert format_kr(value) == expected


@pytest.mark.parametrize("value", [1234.5, True, None, "tolv", Decimal("NaN")])
def test_kr_refuses_floats_and_non_amounts(value):
    with pytest.raises((TypeError, ValueError)):
        format_kr(value)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_kr_round_trips(amount):
    assert parse_kr(format_kr(amount)) == amount


@given(st.integers(min_value=0, max_value=10**12))
def test_kr_keeps_every_digit_of_whole_kroner_in_groups_of_three(kroner):
    text = format_kr(kroner)
    assert re.sub(r"\D", "", text) == str(kroner)
    assert re.fullmatch(r"\d{1,3}(\.\d{3})* kr\.", text)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_kr_keeps_every_digit_with_oere(amount):
    text = format_kr(amount)
    digits = re.sub(r"\D", "", text)
    whole, _, oere = f"{amount:.2f}".partition(".")
    assert digits == (whole if oere == "00" else whole + oere)


def test_dansk_dato():
    assert dansk_dato(dt.date(2026, 11, 26)) == "26. november 2026"
    assert dansk_dato("2026-01-05") == "5. januar 2026"
    assert dansk_dato_lang("2026-12-01") == "tirsdag den 1. december 2026"


def test_dansk_dato_uses_local_time_for_datetimes():
    late_utc = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert dansk_dato(late_utc) == "1. januar 2027"


def test_dansk_tidspunkt_with_and_without_end():
    assert dansk_tidspunkt("2026-12-01T10:00:00+01:00") == "tirsdag den 1. december 2026 kl. 10.00"
    assert (
        dansk_tidspunkt("2026-12-01T09:00:00+00:00", "2026-12-01T10:30:00+00:00")
        == "tirsdag den 1. december 2026 kl. 10.00–11.30"
    )


def test_bad_dates_raise_clear_errors():
    with pytest.raises(ValueError, match="Ugyldig dato"):
        dansk_dato("26/11/2026")


def test_template_filters():
    out = Template(
        "{% load danish %}{{ a|kr }}|{{ b|kr }}|{{ d|dansk_dato }}|{{ none|kr }}"
    ).render(
        Context(
            {
                "a": Decimal("1234.5"),
                "b": 50000,
                "d": dt.date(2026, 11, 26),
                "none": None,
            }
        )
    )
    assert out == "1.234,50 kr.|50.000 kr.|26. november 2026|"
