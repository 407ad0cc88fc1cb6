from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value):
    """A share (0.2534) as a Danish percentage: 25,34 %."""
    if value is None or value == "":
        return ""
    return f"{number_format(Decimal(value) * 100, decimal_pos=2, use_l10n=True)} %"
