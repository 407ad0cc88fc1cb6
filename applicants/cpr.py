"""CPR numbers: read with or without the dash, stored as 10 digits, masked in
lists. The format and the birth date are checked with python-stdnum, but not
modulus 11: numbers issued since 2007 may fail it (SPEC §3)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError


def normalise_cpr(value: str) -> str:
    """'010185-1234', ' 0101851234 ' → '0101851234'; raises ValidationError."""
    number = stdnum_cpr.compact(value or "")
    if len(number) != 10 or not number.isdigit():
        raise ValidationError(
            _("Skriv CPR-nummeret som 10 cifre, med eller uden bindestreg, fx 010185-1234."),
            code="cpr_format",
        )
    try:
        born = stdnum_cpr.get_birth_date(number)
    except StdnumError:
        raise ValidationError(
            _("CPR-nummeret begynder ikke med en gyldig fødselsdato (DDMMÅÅ)."),
            code="cpr_date",
        ) from None
    if born > timezone.localdate():
        raise ValidationError(_("CPR-nummerets fødselsdato ligger i fremtiden."), code="cpr_future")
    if born.year < 1900:
        # Possible in the CPR system (serials from 1858), but no applicant for a
        # start-up loan was born then: a typo.
        raise ValidationError(_("CPR-nummerets fødselsdato ligger før 1900."), code="cpr_too_early")
    return number


def validate_cpr(value: str) -> None:
    """Model-field validator: the stored value must already be 10 valid digits."""
    if normalise_cpr(value) != value:
        raise ValidationError(_("CPR-nummeret skal gemmes som 10 cifre."), code="cpr_stored")


def mask_cpr(value: str) -> str:
    """'0101851234' → '010185-XXXX': the birth date only, for lists and exports.
    The one masking helper of the project (also ``{{ cpr|cpr_masked }}``)."""
    value = (value or "").replace("-", "")
    if len(value) < 6:
        return ""
    return f"{value[:6]}-XXXX"


def format_cpr(value: str) -> str:
    """The full number with its dash; only for the case page (logged)."""
    return f"{value[:6]}-{value[6:]}" if value and len(value) == 10 else value


def birth_date(value: str) -> datetime.date | None:
    try:
        return stdnum_cpr.get_birth_date(value)
    except StdnumError:
        return None
