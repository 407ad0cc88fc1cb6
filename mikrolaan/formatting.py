"""Danish formatting of money and dates, for letters and pages alike.

Money: amounts are ``Decimal`` (or ``int``), never ``float``. The rule is that
of Danish letters and price lists: thousands are grouped with a full stop and
the decimal separator is a comma; **whole kroner are written without øre**
(``1.234 kr.``) and any other amount always with two øre digits
(``1.234,50 kr.``). Amounts are rounded half-up to whole øre.

Dates: ``26. november 2026``; with weekday ``torsdag den 26. november 2026``;
times ``kl. 10.00``. Month and weekday names are Danish on purpose: the
letters are Danish documents whatever language the staff member's browser
asks for.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

_OERE = Decimal("0.01")


def to_decimal(value) -> Decimal:
    """A money amount as Decimal. Accepts Decimal, int and decimal strings
    (``"1234.50"``, as JSON context stores them); refuses float and bool."""
    if isinstance(value, (bool, float)):
        raise TypeError("Beløb skal være Decimal, int eller tekst – aldrig float.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"Ugyldigt beløb: {value!r}") from None
    else:
        raise TypeError(f"Ugyldigt beløb: {value!r}")
    if not result.is_finite():
        raise ValueError(f"Ugyldigt beløb: {value!r}")
    return result


def _group(digits: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return ".".join(parts)


def format_kr(value, *, suffix: bool = True) -> str:
    """``Decimal("1234.5")`` → ``"1.234,50 kr."``; ``1234`` → ``"1.234 kr."``."""
    amount = to_decimal(value).quantize(_OERE, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _dot, oere = f"{abs(amount):.2f}".partition(".")
    text = _group(whole)
    if oere != "00":
        text = f"{text},{oere}"
    return f"{sign}{text} kr." if suffix else f"{sign}{text}"


def parse_kr(text: str) -> Decimal:
    """The inverse of :func:`format_kr`: ``"1.234,50 kr."`` → ``Decimal("1234.50")``."""
    cleaned = text.strip().removesuffix("kr.").strip().replace(".", "").replace(",", ".")
    return to_decimal(cleaned).quantize(_OERE)


def to_date(value) -> dt.date:
    """A date from a date, an aware datetime (in local time) or an ISO string."""
    if isinstance(value, dt.datetime):
        return to_local_datetime(value).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if "T" in text or " " in text:
                return to_local_datetime(dt.datetime.fromisoformat(text)).date()
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"Ugyldig dato: {value!r} (forventer ÅÅÅÅ-MM-DD)") from None
    raise TypeError(f"Ugyldig dato: {value!r}")


def to_local_datetime(value) -> dt.datetime:
    """An aware datetime in the project's time zone (Europe/Copenhagen).
    A naive value is taken to be local time already."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"Ugyldigt tidspunkt: {value!r} (forventer ISO 8601)") from None
    if not isinstance(value, dt.datetime):
        raise TypeError(f"Ugyldigt tidspunkt: {value!r}")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


def dansk_dato(value) -> str:
    """``date(2026, 11, 26)`` → ``"26. november 2026"``."""
    d = to_date(value)
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def dansk_dato_lang(value) -> str:
    """``date(2026, 12, 1)`` → ``"tirsdag den 1. december 2026"``."""
    d = to_date(value)
    return f"{WEEKDAYS[d.weekday()]} den {dansk_dato(d)}"


def dansk_klokkeslaet(value) -> str:
    """An aware datetime → ``"kl. 10.00"`` (local time)."""
    t = to_local_datetime(value)
    return f"kl. {t.hour:02d}.{t.minute:02d}"


def dansk_tidspunkt(start, end=None) -> str:
    """``"tirsdag den 1. december 2026 kl. 10.00"``, or with an end on the same
    day ``"… kl. 10.00–11.30"``."""
    s = to_local_datetime(start)
    text = f"{dansk_dato_lang(s)} {dansk_klokkeslaet(s)}"
    if end:
        e = to_local_datetime(end)
        if e.date() == s.date():
            text += f"–{e.hour:02d}.{e.minute:02d}"
        else:
            text += f" til {dansk_dato_lang(e)} {dansk_klokkeslaet(e)}"
    return text
